/**
 * `hooks:` (LIFECYCLES.md, Semantics): on entering a state, start a workflow. The lifecycle only
 * describes the hook and renders its input; a process manager starts the workflow from the event.
 */
import { parseTemplate } from '@trellis/workflow/expressions';
import { compileTemplateExpression } from '../expressions';
import type { CompiledHook, CompiledState } from '../lifecycle';
import type { Path, ProblemList } from '../problems';
import { checkKeys, isRecord } from './shape';

type Render = (entity: Record<string, unknown>, errors: string[]) => unknown;

interface Names {
  states: Record<string, CompiledState>;
  superstates: Record<string, string[]>;
  fields: readonly string[];
}

export function compileHooks(section: unknown, names: Names, problems: ProblemList): CompiledHook[] {
  if (section === undefined || section === null) return [];
  if (!Array.isArray(section)) {
    problems.error(['hooks'], 'expected a list of hooks');
    return [];
  }
  const hooks: CompiledHook[] = [];
  section.forEach((raw, index) => {
    const path = ['hooks', index];
    if (!isRecord(raw)) return problems.error(path, 'a hook is {on_enter: <state>, start_workflow: {ref, input}}');
    checkKeys(raw, ['on_enter', 'start_workflow'], path, problems);
    const onEnter = raw.on_enter;
    if (typeof onEnter !== 'string') return problems.error([...path, 'on_enter'], "a hook needs 'on_enter': a state");
    if (!names.states[onEnter] && !names.superstates[onEnter]) return problems.error([...path, 'on_enter'], `unknown state '${onEnter}'`);
    const start = raw.start_workflow;
    if (!isRecord(start)) return problems.error([...path, 'start_workflow'], "a hook needs 'start_workflow': {ref, input}");
    checkKeys(start, ['ref', 'input'], [...path, 'start_workflow'], problems);
    if (typeof start.ref !== 'string' || start.ref === '') return problems.error([...path, 'start_workflow', 'ref'], "'ref' names a workflow");
    const input = start.input ?? {};
    const render = compileValue(input, [...path, 'start_workflow', 'input'], names.fields, problems);
    hooks.push({
      index,
      onEnter,
      startWorkflow: { ref: start.ref, input },
      render(entity) {
        const errors: string[] = [];
        return { input: render(entity, errors), errors };
      },
    });
  });
  return hooks;
}

/** Every string in the input may be a `{{ }}` template; the shape around them is kept as written. */
function compileValue(value: unknown, path: Path, fields: readonly string[], problems: ProblemList): Render {
  if (Array.isArray(value)) {
    const items = value.map((item, i) => compileValue(item, [...path, i], fields, problems));
    return (entity, errors) => items.map((render) => render(entity, errors));
  }
  if (isRecord(value)) {
    const entries = Object.entries(value).map(([k, v]) => [k, compileValue(v, [...path, k], fields, problems)] as const);
    return (entity, errors) => Object.fromEntries(entries.map(([k, render]) => [k, render(entity, errors)]));
  }
  if (typeof value !== 'string') return () => value;
  const template = parseTemplate(value);
  if (template.kind === 'literal') return () => template.value;
  const parts = template.kind === 'expression' ? [{ source: template.source }] : template.parts;
  const compiled = parts.map((part) => {
    if (typeof part === 'string') return () => part;
    const expression = compileTemplateExpression(part.source, fields);
    if (!expression.ok) {
      problems.error(path, expression.message);
      return () => null;
    }
    return (entity: Record<string, unknown>, errors: string[]) => {
      try {
        return expression.evaluate({ entity });
      } catch (error) {
        // A hook must not veto a transition; the event carries the error for the process manager.
        errors.push(`${part.source}: ${String((error as Error).message ?? error).split('\n')[0]}`);
        return null;
      }
    };
  });
  if (template.kind === 'expression') return (entity, errors) => compiled[0](entity, errors);
  return (entity, errors) => compiled.map((render) => text(render(entity, errors))).join('');
}

const text = (value: unknown) => (typeof value === 'string' ? value : value === null ? '' : JSON.stringify(value));
