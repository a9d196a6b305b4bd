/**
 * Lifecycle YAML → CompiledLifecycle, or every problem with its YAML path and line. The sections
 * are compiled in the order LIFECYCLES.md introduces them; a later section sees the names the
 * earlier ones defined, so each problem is reported once, where it is.
 */
import { ENTITY_PROPERTIES } from '../expressions';
import { entityTypeName, HISTORY, type CompiledLifecycle, type CompiledState, type CompiledTransition } from '../lifecycle';
import { ProblemList, type Problem } from '../problems';
import { compilePropertiesSchema, type CompiledSchema } from '../schema';
import { parseSource } from '../source';
import { compileHooks } from './hooks';
import { checkKeys, isRecord, LIFECYCLE_NAME } from './shape';
import { compileStates, compileSuperstates } from './states';
import { compileTransitions } from './transitions';

export type CompileResult =
  | { ok: true; lifecycle: CompiledLifecycle; warnings: Problem[] }
  | { ok: false; problems: Problem[] };

export interface CompileOptions {
  /** The registry's version of this definition (the revision of its `lifecycle-<name>` stream). */
  version?: number;
}

const TOP_LEVEL_KEYS = ['lifecycle', 'description', 'initial', 'fields', 'states', 'superstates', 'transitions', 'hooks'];

export function compileLifecycle(source: string, options: CompileOptions = {}): CompileResult {
  const parsed = parseSource(source);
  const problems = new ProblemList(parsed.locate);
  for (const p of parsed.problems) problems.add(p.path, p.message, 'error', p.line);
  if (parsed.value === undefined) return { ok: false, problems: problems.sorted() };
  const root = parsed.value;
  if (!isRecord(root)) {
    problems.error([], 'a lifecycle definition is a map (lifecycle, initial, states, transitions, ...)');
    return { ok: false, problems: problems.sorted() };
  }
  checkKeys(root, TOP_LEVEL_KEYS, [], problems);

  const name = compileName(root.lifecycle, problems);
  const fields = compileFields(root.fields, problems);
  const fieldNames = fields?.properties ?? [];
  const states = compileStates(root.states, problems);
  const superstates = compileSuperstates(root.superstates, states, problems);
  const initial = compileInitial(root.initial, states, superstates, problems);
  const names = { states, superstates, fields: fieldNames };
  const transitions = compileTransitions(root.transitions, names, problems);
  const hooks = compileHooks(root.hooks, names, problems);
  if (initial) warnUnreachable(initial, states, transitions, problems);

  if (problems.hasErrors || !name || !fields || !initial) return { ok: false, problems: problems.sorted() };
  const lifecycle: CompiledLifecycle = {
    name,
    version: options.version ?? 1,
    entityType: entityTypeName(name),
    initial,
    fields,
    states,
    superstates,
    transitions,
    hooks,
    source,
  };
  return { ok: true, lifecycle, warnings: problems.sorted() };
}

function compileName(value: unknown, problems: ProblemList): string | undefined {
  if (typeof value === 'string' && LIFECYCLE_NAME.test(value)) return value;
  problems.error(['lifecycle'], value === undefined
    ? "a definition starts with 'lifecycle: <name>'"
    : `'${String(value)}' cannot name a lifecycle (lower case, digits, - or _)`);
  return undefined;
}

function compileFields(value: unknown, problems: ProblemList): CompiledSchema | undefined {
  if (isRecord(value)) {
    // These names belong to the entity itself (see ENTITY_PROPERTIES) and would be shadowed in guards.
    for (const field of Object.keys(value)) {
      if ((ENTITY_PROPERTIES as readonly string[]).includes(field)) {
        problems.error(['fields', field], `'${field}' is reserved for the entity (${ENTITY_PROPERTIES.join(', ')})`);
      }
    }
  }
  return compilePropertiesSchema(value, ['fields'], problems);
}

function compileInitial(
  value: unknown,
  states: Record<string, CompiledState>,
  superstates: Record<string, string[]>,
  problems: ProblemList,
): string | undefined {
  if (typeof value !== 'string') {
    problems.error(['initial'], "a lifecycle needs 'initial': the state new entities start in");
    return undefined;
  }
  if (states[value]) return value;
  problems.error(['initial'], superstates[value] ? `'initial' must be a state, not the superstate '${value}'` : `unknown state '${value}'`);
  return undefined;
}

/**
 * A state no transition can reach is probably a mistake, but harmless: a warning. History edges
 * only return to states already visited, so they never make a state reachable.
 */
function warnUnreachable(
  initial: string,
  states: Record<string, CompiledState>,
  transitions: Record<string, CompiledTransition>,
  problems: ProblemList,
): void {
  const reached = new Set([initial]);
  const queue = [initial];
  while (queue.length > 0) {
    const state = queue.shift() as string;
    for (const t of Object.values(transitions)) {
      if (t.to !== HISTORY && t.fromStates.includes(state) && !reached.has(t.to)) {
        reached.add(t.to);
        queue.push(t.to);
      }
    }
  }
  for (const state of Object.keys(states)) {
    if (!reached.has(state)) problems.warning(['states', state], `unreachable state '${state}': no transition leads to it from '${initial}'`);
  }
}
