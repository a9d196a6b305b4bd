/**
 * One task of WORKFLOWS.md (Tasks): action, input, next and its on_* shorthands, join, with,
 * retry, timeout, heartbeat, delay.
 */
import { parseTemplate } from '../expressions';
import { parseDuration } from './duration';
import { compileSchema } from './json-schema';
import { checkKeys, isPlainObject, type Problems } from './problems';
import type { Place } from './scopes';
import {
  BUILTIN_ACTIONS,
  DEFAULT_ITEM_CONCURRENCY,
  FAIL_TARGET,
  NOOP_TARGET,
  type ActionKind,
  type CompileOptions,
  type CompiledTask,
  type CompiledTransition,
  type RetryPolicy,
} from './types';
import { compilePart, compileValue, type CompiledValue, type ValueCompiler } from './values';
import type { PathSegment } from './yaml-source';

export const TASK_KEYS = [
  'action', 'input', 'next', 'on_success', 'on_failure', 'on_complete',
  'join', 'with', 'retry', 'timeout', 'heartbeat', 'delay',
] as const;
const TRANSITION_KEYS = ['when', 'publish', 'do'];
const SHORTHANDS = { on_success: 'succeeded()', on_failure: 'failed()', on_complete: 'completed()' } as const;

export interface TaskCompiler extends ValueCompiler {
  options: CompileOptions;
  ref: string;
}

export function compileTask(compiler: TaskCompiler, name: string, raw: unknown): CompiledTask | undefined {
  const { problems } = compiler;
  const path = ['tasks', name];
  const spec = checkKeys(problems, path, raw, TASK_KEYS, `task "${name}"`);
  if (!spec) return undefined;

  const action = typeof spec.action === 'string' ? spec.action.trim() : '';
  if (!action) problems.error([...path, 'action'], `task "${name}" needs an action`);
  const actionKind = classifyAction(compiler, action, [...path, 'action']);
  const withItems = spec.with !== undefined;

  let input: CompiledValue = { kind: 'literal', value: {} };
  if (spec.input !== undefined) {
    if (!isPlainObject(spec.input)) problems.error([...path, 'input'], 'input must be a map');
    else input = compileValue(compiler, spec.input, [...path, 'input'], 'input', withItems);
    checkBuiltinInput(problems, action, spec.input, [...path, 'input']);
  }

  return {
    name,
    action,
    actionKind,
    input,
    transitions: compileTransitions(compiler, spec, path),
    join: compileJoin(problems, spec.join, [...path, 'join']),
    with: withItems ? compileWith(compiler, spec.with, [...path, 'with']) : undefined,
    retry: spec.retry === undefined ? undefined : compileRetry(compiler, spec.retry, [...path, 'retry'], withItems),
    timeoutMs: duration(problems, spec.timeout, [...path, 'timeout']),
    heartbeatMs: duration(problems, spec.heartbeat, [...path, 'heartbeat']),
    delayMs: duration(problems, spec.delay, [...path, 'delay']),
  };
}

function classifyAction(compiler: TaskCompiler, action: string, path: PathSegment[]): ActionKind {
  if (!action) return 'external';
  if (action.startsWith('core.')) {
    if (!(BUILTIN_ACTIONS as readonly string[]).includes(action)) {
      compiler.problems.error(path, `unknown built-in action "${action}" (built-ins: ${BUILTIN_ACTIONS.join(', ')})`);
    }
    return 'builtin';
  }
  if (action === compiler.ref || compiler.options.resolveWorkflowRef?.(action)) return 'workflow';
  const namespace = action.split('.')[0];
  if (compiler.options.isWorkflowNamespace?.(namespace)) {
    compiler.problems.error(
      path,
      `no workflow "${action}" is registered (namespace "${namespace}" holds workflows; an external action needs a namespace of its own)`,
    );
  }
  return 'external';
}

/** Literal parts of built-in inputs that can be checked now rather than fail at run time. */
function checkBuiltinInput(problems: Problems, action: string, input: unknown, path: PathSegment[]) {
  if (!isPlainObject(input)) return;
  const literal = (v: unknown) => !(typeof v === 'string' && v.includes('{{'));
  if (action === 'core.inquiry' && isPlainObject(input.schema)) {
    const compiled = compileSchema(input.schema);
    if (!compiled.ok) problems.error([...path, 'schema'], `bad schema: ${compiled.message}`);
  }
  if (action === 'core.inquiry' && input.roles !== undefined && literal(input.roles)) {
    if (!Array.isArray(input.roles) || input.roles.some((r) => typeof r !== 'string')) {
      problems.error([...path, 'roles'], 'roles must be a list of role names');
    }
  }
  if (action === 'core.sleep' && literal(input.duration) && parseDuration(input.duration) === undefined) {
    problems.error([...path, 'duration'], `bad duration ${JSON.stringify(input.duration)} (use 500ms, 30s, 10m, 2h or 1d)`);
  }
}

function compileTransitions(compiler: TaskCompiler, spec: Record<string, unknown>, path: PathSegment[]) {
  const transitions: CompiledTransition[] = [];
  if (spec.next !== undefined) {
    if (!Array.isArray(spec.next)) compiler.problems.error([...path, 'next'], 'next must be a list of transitions');
    else spec.next.forEach((raw, i) => {
      const t = compileTransition(compiler, raw, [...path, 'next', i], `next[${i}]`);
      if (t) transitions.push(t);
    });
  }
  for (const [key, when] of Object.entries(SHORTHANDS)) {
    if (spec[key] === undefined) continue;
    const targets = compileTargets(compiler, spec[key], [...path, key]);
    transitions.push({ label: key, whenSource: when, when: compileWhen(compiler, when, [...path, key], 'transition', false), publish: [], do: targets });
  }
  return transitions;
}

function compileTransition(compiler: TaskCompiler, raw: unknown, path: PathSegment[], label: string) {
  const spec = checkKeys(compiler.problems, path, raw, TRANSITION_KEYS, 'a transition');
  if (!spec) return undefined;
  const whenRaw = spec.when ?? 'succeeded()';
  const publish: CompiledTransition['publish'] = [];
  if (spec.publish !== undefined) {
    if (!isPlainObject(spec.publish)) compiler.problems.error([...path, 'publish'], 'publish must be a map of variable names to values');
    else for (const [name, value] of Object.entries(spec.publish)) {
      publish.push({ name, value: compileValue(compiler, value, [...path, 'publish', name], 'transition') });
    }
  }
  return {
    label,
    whenSource: typeof whenRaw === 'string' ? whenRaw : JSON.stringify(whenRaw),
    when: compileWhen(compiler, whenRaw, [...path, 'when'], 'transition', false),
    publish,
    do: spec.do === undefined ? [] : compileTargets(compiler, spec.do, [...path, 'do']),
  };
}

/** `when` is always an expression: `{{ x }}`, or bare CEL as the on_* shorthands imply. */
export function compileWhen(compiler: ValueCompiler, raw: unknown, path: PathSegment[], place: Place, withItems: boolean): CompiledValue {
  if (typeof raw === 'boolean') return { kind: 'literal', value: raw };
  if (typeof raw !== 'string') {
    compiler.problems.error(path, 'when must be an expression, e.g. "{{ succeeded() }}"');
    return { kind: 'literal', value: false };
  }
  const template = parseTemplate(raw);
  if (template.kind === 'interpolation') {
    compiler.problems.error(path, 'when must be a single {{ }} expression, without text around it');
    return { kind: 'literal', value: false };
  }
  const source = template.kind === 'expression' ? template.source : raw.trim();
  const part = compilePart(compiler, source, path, place, withItems);
  if (part.type && part.type !== 'bool' && part.type !== 'dyn') {
    compiler.problems.error(path, `when must be a bool expression, but "{{ ${source} }}" is ${part.type}`);
  }
  return { kind: 'expression', ...part };
}

function compileTargets(compiler: TaskCompiler, raw: unknown, path: PathSegment[]): string[] {
  const targets = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : undefined;
  if (!targets || targets.some((t) => typeof t !== 'string')) {
    compiler.problems.error(path, 'do must be a task name or a list of task names');
    return [];
  }
  targets.forEach((target: string, i) => {
    if (target === FAIL_TARGET || target === NOOP_TARGET || compiler.known.tasks.has(target)) return;
    const at = typeof raw === 'string' ? path : [...path, i];
    compiler.problems.error(at, `do target "${target}" is not a task (tasks: ${[...compiler.known.tasks].join(', ')}; reserved: fail, noop)`);
  });
  return targets as string[];
}

function compileJoin(problems: Problems, raw: unknown, path: PathSegment[]) {
  if (raw === undefined) return undefined;
  if (raw === 'all') return { need: Number.POSITIVE_INFINITY, inbound: 0 };
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 1) return { need: raw, inbound: 0 };
  problems.error(path, 'join must be "all" or a positive number');
  return undefined;
}

function compileWith(compiler: TaskCompiler, raw: unknown, path: PathSegment[]) {
  const spec = checkKeys(compiler.problems, path, raw, ['items', 'concurrency'], 'with');
  if (!spec) return undefined;
  let items: CompiledValue = { kind: 'literal', value: [] };
  if (spec.items === undefined) compiler.problems.error(path, 'with needs items: a list or a list expression');
  else {
    items = compileValue(compiler, spec.items, [...path, 'items'], 'items');
    const isList =
      (items.kind === 'literal' && Array.isArray(items.value)) ||
      items.kind === 'list' ||
      (items.kind === 'expression' && (!items.type || items.type === 'dyn' || items.type.startsWith('list')));
    if (!isList) compiler.problems.error([...path, 'items'], 'with.items must be a list or one {{ }} expression that yields a list');
  }
  const concurrency = spec.concurrency ?? DEFAULT_ITEM_CONCURRENCY;
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1) {
    compiler.problems.error([...path, 'concurrency'], 'concurrency must be a positive whole number');
  }
  return { items, concurrency: Number(concurrency) || 1 };
}

function compileRetry(compiler: TaskCompiler, raw: unknown, path: PathSegment[], withItems: boolean): RetryPolicy | undefined {
  const { problems } = compiler;
  const spec = checkKeys(problems, path, raw, ['count', 'delay', 'backoff', 'max_delay', 'when'], 'retry');
  if (!spec) return undefined;
  const count = spec.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    problems.error([...path, 'count'], 'retry.count must be a whole number of retries (0 or more)');
  }
  const backoff = spec.backoff ?? 'fixed';
  if (backoff !== 'fixed' && backoff !== 'exponential') {
    problems.error([...path, 'backoff'], 'backoff must be fixed or exponential');
  }
  return {
    count: Number(count) || 0,
    delayMs: duration(problems, spec.delay, [...path, 'delay']) ?? 0,
    backoff: backoff === 'exponential' ? 'exponential' : 'fixed',
    maxDelayMs: duration(problems, spec.max_delay, [...path, 'max_delay']),
    when: spec.when === undefined ? undefined : compileWhen(compiler, spec.when, [...path, 'when'], 'retry', withItems),
  };
}

export function duration(problems: Problems, raw: unknown, path: PathSegment[]): number | undefined {
  if (raw === undefined) return undefined;
  const ms = parseDuration(raw);
  if (ms === undefined) problems.error(path, `bad duration ${JSON.stringify(raw)} (use 500ms, 30s, 10m, 2h or 1d)`);
  return ms;
}
