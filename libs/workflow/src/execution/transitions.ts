/**
 * When a task ends (WORKFLOWS.md, Transitions): every transition whose `when` holds fires, in list
 * order. Every `when` and `publish` value sees the vars as they were when the task ended (so one
 * transition's publish cannot decide whether another fires); `publish` assigns in order, the
 * last assignment of a name wins, and later tasks see the result. `do` reaches tasks, through
 * their join if they have one; `fail` fails the execution after publish; `noop` does nothing. A
 * failure no transition handles fails the execution. Each evaluation is recorded.
 */
import { render, RenderError, type CompiledTransition } from '../definition';
import { startActivation } from './activation';
import { expressionContext } from './context';
import type { Decision } from './decision';
import { expressionError } from './errors';
import type { ExecutionError, JoinUpdate, Reached, TransitionEvaluation } from './events';
import { arrive } from './joins';
import { isActive, type JoinState } from './state';
import { startFailing } from './stopping';
import { computeSearch } from './search';

export function evaluateTransitions(d: Decision, key: string): void {
  const activation = d.state.activations[key];
  const task = d.workflow.tasks[activation.task];
  const outcomeStatus = activation.status === 'failed' ? 'failed' : 'succeeded';
  const base = { task: task.name, activation: activation.number, outcome: outcomeStatus } as const;

  if (!isActive(d.state)) {
    const message = `not evaluated: the execution is ${d.state.status}`;
    const evaluations = task.transitions.map((t) => evaluation(t, 'skipped', message));
    d.emit('TransitionsEvaluated', { ...base, evaluations, reached: [], joins: [] });
    return;
  }

  const outcome = { status: outcomeStatus, result: activation.result ?? null, error: activation.error ?? null } as const;
  const context = expressionContext(d.state, { outcome });
  const published: Record<string, unknown> = {};
  const evaluations: TransitionEvaluation[] = [];
  const targets: Array<{ target: string; edge: string }> = [];
  let failedBy: string | undefined;
  let error: ExecutionError | undefined;

  for (const transition of task.transitions) {
    if (error) {
      evaluations.push(evaluation(transition, 'skipped', 'not evaluated: an earlier transition failed'));
      continue;
    }
    const where = `${transition.label}.when`;
    try {
      const holds = render(transition.when, context);
      if (typeof holds !== 'boolean') throw new RenderError(sourceOf(transition), `yielded ${JSON.stringify(holds)}, not a bool`);
      if (!holds) {
        evaluations.push(evaluation(transition, 'false'));
        continue;
      }
    } catch (e) {
      error = failure(task.name, where, e, sourceOf(transition));
      evaluations.push(evaluation(transition, 'error', error.details?.reason as string));
      continue;
    }
    for (const { name, value } of transition.publish) {
      try {
        published[name] = render(value, context);
      } catch (e) {
        error = failure(task.name, `${transition.label}.publish.${name}`, e, '');
        break;
      }
    }
    if (error) {
      evaluations.push(evaluation(transition, 'error', error.details?.reason as string));
      continue;
    }
    evaluations.push(evaluation(transition, 'fired'));
    for (const target of transition.do) {
      if (target === 'fail') failedBy ??= transition.label;
      else if (target !== 'noop') targets.push({ target, edge: `${task.name}:${transition.label}` });
    }
  }

  if (error) {
    d.emit('TransitionsEvaluated', { ...base, evaluations, reached: [], joins: [] });
    return startFailing(d, error);
  }

  const { reached, joins, limitError } = reach(d, targets);
  d.emit('TransitionsEvaluated', { ...base, evaluations, reached, joins });
  if (Object.keys(published).length) {
    const search = computeSearch(d.workflow, d.state.parameters, { ...d.state.vars, ...published });
    const changed = JSON.stringify(search) !== JSON.stringify(d.state.search);
    d.emit('VariablesPublished', { task: task.name, activation: activation.number, vars: published, ...(changed ? { search } : {}) });
  }
  for (const r of reached) startActivation(d, r);

  const fired = evaluations.some((e) => e.outcome === 'fired');
  if (outcomeStatus === 'failed' && !fired) {
    startFailing(d, {
      code: 'task_failed',
      message: `task "${task.name}" failed and no transition handled it: ${activation.error?.message ?? 'failed'}`,
      task: task.name,
      details: { error: activation.error },
    });
  }
  if (failedBy) {
    startFailing(d, { code: 'fail_transition', message: `task "${task.name}": transition ${failedBy} chose fail`, task: task.name });
  }
  if (limitError) startFailing(d, limitError);
}

/** Which targets run now: a join target only when its barrier releases; none past max_task_runs. */
function reach(d: Decision, targets: Array<{ target: string; edge: string }>) {
  const reached: Reached[] = [];
  const joinStates: Record<string, JoinState> = {};
  const updates = new Map<string, JoinUpdate>();
  let limitError: ExecutionError | undefined;
  for (const { target, edge } of targets) {
    const spec = d.workflow.tasks[target].join;
    let joined: string[] | undefined;
    if (spec) {
      const before = joinStates[target] ?? d.state.joins[target] ?? { arrived: [], released: false };
      const { join, release, arrived } = arrive(before, edge, spec.need, spec.inbound);
      joinStates[target] = join;
      updates.set(target, { task: target, ...join, need: spec.need, inbound: spec.inbound });
      if (!release) continue;
      joined = arrived;
    }
    const counters = d.state.tasks[target] ?? { count: 0, budget: 0, latest: 0 };
    const already = reached.filter((r) => r.task === target).length;
    if (counters.budget + already >= d.workflow.limits.maxTaskRuns) {
      limitError ??= {
        code: 'max_task_runs_exceeded',
        message: `task "${target}" reached max_task_runs (${d.workflow.limits.maxTaskRuns}): a runaway cycle?`,
        task: target,
        details: { task: target, max: d.workflow.limits.maxTaskRuns },
      };
      continue;
    }
    reached.push({ task: target, activation: counters.count + already + 1, via: edge, ...(joined ? { joined } : {}) });
  }
  return { reached, joins: [...updates.values()], limitError };
}

function evaluation(t: CompiledTransition, outcome: TransitionEvaluation['outcome'], message?: string): TransitionEvaluation {
  return message === undefined ? { transition: t.label, when: t.whenSource, outcome } : { transition: t.label, when: t.whenSource, outcome, message };
}

function sourceOf(t: CompiledTransition): string {
  return t.when.kind === 'expression' ? `{{ ${t.when.source} }}` : t.whenSource;
}

function failure(task: string, where: string, error: unknown, fallbackSource: string): ExecutionError {
  if (error instanceof RenderError) return expressionError(task, where, `{{ ${error.source} }}`, error.reason);
  return expressionError(task, where, fallbackSource, error instanceof Error ? error.message : String(error));
}
