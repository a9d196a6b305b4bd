/**
 * Registration-time compilation (WORKFLOWS.md, Validation errors): YAML in; a compiled workflow
 * with warnings out, or every problem with its YAML path and line.
 */
import { inboundEdges, reachFrom, reachTable } from './graph';
import { compileInput } from './parameters';
import { checkKeys, isPlainObject, Problems } from './problems';
import { compileTask, duration, type TaskCompiler } from './tasks';
import {
  DEFAULT_LIMITS,
  FAIL_TARGET,
  NOOP_TARGET,
  type CompileOptions,
  type CompileOutcome,
  type CompiledTask,
  type CompiledWorkflow,
  type WorkflowLimits,
} from './types';
import { compileValue, type CompiledValue } from './values';
import { objectSource, parseYamlSource, type SourceDocument } from './yaml-source';

const TOP_KEYS = ['ref', 'description', 'input', 'vars', 'output', 'limits', 'start', 'search', 'tasks'];
const REF = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)+$/;
const TASK_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function compileWorkflow(definition: string | object, options: CompileOptions = {}): CompileOutcome {
  const source: SourceDocument = typeof definition === 'string' ? parseYamlSource(definition) : objectSource(definition);
  const problems = new Problems(source);
  for (const error of source.errors) {
    problems.list.push({ path: '', line: error.line, message: `YAML: ${error.message}`, severity: 'error' });
  }
  if (source.errors.length) return { ok: false, problems: problems.sorted() };

  const root = checkKeys(problems, [], source.value, TOP_KEYS, 'the workflow');
  if (!root) return { ok: false, problems: problems.sorted() };

  const ref = typeof root.ref === 'string' ? root.ref : '';
  if (!REF.test(ref)) problems.error(['ref'], 'ref must be namespace.name, e.g. release.deploy');
  if (root.description !== undefined && typeof root.description !== 'string') {
    problems.error(['description'], 'description must be text');
  }

  const rawTasks = isPlainObject(root.tasks) ? root.tasks : {};
  if (!isPlainObject(root.tasks) || Object.keys(rawTasks).length === 0) {
    problems.error(['tasks'], 'tasks must be a map with at least one task');
  }
  for (const name of Object.keys(rawTasks)) {
    if (name === FAIL_TARGET || name === NOOP_TARGET) problems.error(['tasks', name], `"${name}" is a reserved target, not a task name`);
    else if (!TASK_NAME.test(name)) problems.error(['tasks', name], `task name "${name}" must be letters, digits and _ (it is used as tasks.${name})`);
  }

  const input = compileInput(problems, root.input);
  const rawVars = mapOrReport(problems, root.vars, 'vars');
  const compiler: TaskCompiler = {
    problems,
    options,
    ref,
    known: {
      tasks: new Set(Object.keys(rawTasks)),
      vars: new Set([...Object.keys(rawVars), ...publishedNames(rawTasks)]),
      parameters: input.names,
    },
  };

  const vars = Object.entries(rawVars).map(([name, value]) => ({ name, value: compileValue(compiler, value, ['vars', name], 'vars') }));
  const search = Object.entries(mapOrReport(problems, root.search, 'search')).map(([name, value]) => ({
    name,
    value: compileValue(compiler, value, ['search', name], 'search'),
  }));
  const output: CompiledValue | undefined =
    root.output === undefined ? undefined : compileValue(compiler, root.output, ['output'], 'output');
  const limits = compileLimits(problems, root.limits);

  const tasks: Record<string, CompiledTask> = {};
  for (const [name, raw] of Object.entries(rawTasks)) {
    const task = compileTask(compiler, name, raw);
    if (task) tasks[name] = task;
  }

  const inbound = inboundEdges(tasks);
  for (const task of Object.values(tasks)) {
    if (!task.join) continue;
    const count = inbound[task.name].length;
    if (count < 2) {
      problems.error(['tasks', task.name, 'join'], `join on task "${task.name}", which has ${count} inbound transition${count === 1 ? '' : 's'}: a join needs at least two`);
    } else if (Number.isFinite(task.join.need) && task.join.need > count) {
      problems.error(['tasks', task.name, 'join'], `join ${task.join.need} on task "${task.name}", which has only ${count} inbound transitions`);
    }
    task.join = { need: Math.min(task.join.need, count), inbound: count };
  }

  const entry = entryTasks(problems, root.start, tasks, inbound);
  const reachable = reachFrom(tasks, entry);
  for (const name of Object.keys(tasks)) {
    if (entry.length && !reachable.has(name)) {
      problems.warning(['tasks', name], `task "${name}" is unreachable: no transition from the entry tasks (${entry.join(', ')}) leads to it`);
    }
  }

  if (problems.hasErrors) return { ok: false, problems: problems.sorted() };
  const workflow: CompiledWorkflow = {
    ref,
    description: root.description as string | undefined,
    inputSchema: input.schema,
    validateParameters: input.validateParameters,
    vars,
    output,
    search,
    limits,
    entry,
    tasks,
    taskOrder: Object.keys(tasks),
    inbound,
    reach: reachTable(tasks),
  };
  return { ok: true, workflow, warnings: problems.sorted() };
}

function mapOrReport(problems: Problems, raw: unknown, key: string): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (!isPlainObject(raw)) {
    problems.error([key], `${key} must be a map`);
    return {};
  }
  return raw;
}

/** Every variable a transition can publish: `vars.<name>` may name any of them. */
function publishedNames(rawTasks: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const task of Object.values(rawTasks)) {
    if (!isPlainObject(task) || !Array.isArray(task.next)) continue;
    for (const transition of task.next) {
      if (isPlainObject(transition) && isPlainObject(transition.publish)) names.push(...Object.keys(transition.publish));
    }
  }
  return names;
}

function compileLimits(problems: Problems, raw: unknown): WorkflowLimits {
  const limits: WorkflowLimits = { ...DEFAULT_LIMITS };
  if (raw === undefined) return limits;
  const spec = checkKeys(problems, ['limits'], raw, ['timeout', 'max_task_runs', 'max_events', 'max_items'], 'limits');
  if (!spec) return limits;
  limits.timeoutMs = duration(problems, spec.timeout, ['limits', 'timeout']);
  const counts = { max_task_runs: 'maxTaskRuns', max_events: 'maxEvents', max_items: 'maxItems' } as const;
  for (const [key, field] of Object.entries(counts)) {
    const value = spec[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      problems.error(['limits', key], `${key} must be a positive whole number`);
    } else limits[field] = value;
  }
  return limits;
}

function entryTasks(
  problems: Problems,
  start: unknown,
  tasks: Record<string, CompiledTask>,
  inbound: Record<string, unknown[]>,
): string[] {
  if (start !== undefined) {
    const names = typeof start === 'string' ? [start] : Array.isArray(start) ? start : undefined;
    if (!names || names.length === 0 || names.some((n) => typeof n !== 'string')) {
      problems.error(['start'], 'start must be a task name or a list of task names');
      return [];
    }
    names.forEach((name: string, i) => {
      if (!tasks[name]) problems.error(typeof start === 'string' ? ['start'] : ['start', i], `start names "${name}", which is not a task`);
    });
    return names.filter((name: string) => tasks[name]) as string[];
  }
  const entry = Object.keys(tasks).filter((name) => inbound[name].length === 0);
  if (entry.length === 0 && Object.keys(tasks).length > 0) {
    problems.error(['tasks'], 'no entry task: every task is the target of a transition; name the first task(s) in start:');
  }
  return entry;
}
