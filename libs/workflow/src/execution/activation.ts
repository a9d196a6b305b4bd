/**
 * Reaching a task (WORKFLOWS.md, Tasks): list its items, start its runs (after `delay`), and
 * schedule each attempt by what the action is: dispatched to an action, a child execution, an
 * inquiry or a durable sleep; each attempt under its own timeout.
 */
import { addDuration, MAX_DEPTH, parseDuration, render, RenderError, valueSource, type CompiledTask } from '../definition';
import { compileSchema } from '../definition/json-schema';
import { failAttempt } from './attempts';
import { expressionContext } from './context';
import type { Decision } from './decision';
import { expressionError } from './errors';
import type { Reached, RunKind } from './events';
import { activationKey, runIdFor } from './state';
import { startFailing } from './stopping';

export function startActivation(d: Decision, reached: Reached): void {
  const task = d.workflow.tasks[reached.task];
  const key = activationKey(reached.task, reached.activation);
  if (!task.with) return startRun(d, key, undefined);

  const previous = reached.retryOf === undefined ? undefined : d.state.activations[activationKey(reached.task, reached.retryOf)];
  let items: unknown;
  if (previous?.items) items = previous.items;
  else {
    try {
      items = render(task.with.items, expressionContext(d.state));
    } catch (error) {
      return startFailing(d, renderFailure(task.name, 'with.items', error));
    }
  }
  if (!Array.isArray(items)) {
    const reason = `yielded ${JSON.stringify(items)}, not a list`;
    return startFailing(d, expressionError(task.name, 'with.items', valueSource(task.with.items), reason));
  }
  const max = d.workflow.limits.maxItems;
  if (items.length > max) {
    return startFailing(d, {
      code: 'max_items_exceeded',
      message: `task "${task.name}": with.items yielded ${items.length} items, more than max_items (${max})`,
      task: task.name,
    });
  }
  const carried: Record<string, unknown> = {};
  previous?.itemStatus.forEach((status, i) => {
    if (status === 'succeeded') carried[String(i)] = previous.results[i];
  });
  d.emit('TaskItemsListed', { task: task.name, activation: reached.activation, items, carried });
  fillItems(d, key);
}

/** Starts items while fewer than `concurrency` are in flight; true when it started any. */
export function fillItems(d: Decision, key: string): boolean {
  let started = false;
  for (;;) {
    const a = d.state.activations[key];
    const task = d.workflow.tasks[a.task];
    if (a.status !== 'active' || a.stopping || a.items === null || a.pending === 0) return started;
    if (a.inFlight >= (task.with?.concurrency ?? 1)) return started;
    const next = a.itemStatus.indexOf('pending', a.cursor);
    if (next < 0) return started;
    startRun(d, key, next);
    started = true;
  }
}

function startRun(d: Decision, key: string, item: number | undefined): void {
  const a = d.state.activations[key];
  const task = d.workflow.tasks[a.task];
  const runId = runIdFor(d.state.executionId, a.task, a.number, item);
  if (task.delayMs) {
    d.emit('TimerScheduled', {
      timerId: `${runId}.delay`,
      dueAt: addDuration(d.now, task.delayMs),
      purpose: 'delay',
      runId,
      task: a.task,
      activation: a.number,
      item,
      attempt: 1,
    });
    return;
  }
  scheduleAttempt(d, key, item, 1);
}

export function runKind(task: CompiledTask): RunKind {
  if (task.action === 'core.sleep') return 'sleep';
  if (task.action === 'core.inquiry') return 'inquiry';
  return task.actionKind === 'workflow' ? 'workflow' : 'action';
}

export function scheduleAttempt(d: Decision, key: string, item: number | undefined, attempt: number): void {
  const a = d.state.activations[key];
  const task = d.workflow.tasks[a.task];
  const runId = runIdFor(d.state.executionId, a.task, a.number, item);
  const itemContext = item === undefined || a.items === null ? undefined : { value: a.items[item], index: item };
  let input: unknown;
  try {
    input = render(task.input, expressionContext(d.state, { item: itemContext }));
  } catch (error) {
    return startFailing(d, renderFailure(task.name, 'input', error));
  }
  const kind = runKind(task);
  d.emit('TaskRunScheduled', {
    runId,
    task: task.name,
    activation: a.number,
    item,
    attempt,
    action: task.action,
    kind,
    input,
    idempotencyKey: runId,
    fencingToken: attempt,
    timeoutMs: task.timeoutMs,
    heartbeatMs: task.heartbeatMs,
  });
  if (task.timeoutMs) {
    d.emit('TimerScheduled', {
      timerId: `${runId}.timeout.${attempt}`,
      dueAt: addDuration(d.now, task.timeoutMs),
      purpose: 'timeout',
      runId,
      attempt,
    });
  }
  const spec = (input ?? {}) as Record<string, unknown>;
  if (kind === 'sleep') {
    const ms = parseDuration(spec.duration);
    if (ms === undefined) {
      const message = `core.sleep needs input.duration such as 30s, got ${JSON.stringify(spec.duration)}`;
      return failAttempt(d, runId, { code: 'invalid_input', message });
    }
    d.emit('TimerScheduled', { timerId: `${runId}.sleep.${attempt}`, dueAt: addDuration(d.now, ms), purpose: 'sleep', runId, attempt });
  } else if (kind === 'inquiry') {
    const schema = spec.schema as Record<string, unknown> | undefined;
    if (schema !== undefined && !compileSchema(schema).ok) {
      return failAttempt(d, runId, { code: 'invalid_input', message: 'core.inquiry input.schema is not a valid JSON Schema' });
    }
    const roles = Array.isArray(spec.roles) ? spec.roles.map(String) : [];
    d.emit('InquiryRequested', { runId, task: task.name, attempt, prompt: spec.prompt ?? null, roles, schema });
  } else if (kind === 'workflow') {
    requestChild(d, key, item, runId, attempt, input);
  }
}

function requestChild(d: Decision, key: string, item: number | undefined, runId: string, attempt: number, input: unknown) {
  const a = d.state.activations[key];
  const depth = d.state.depth + 1;
  if (depth > MAX_DEPTH) {
    const message = `starting workflow ${d.workflow.tasks[a.task].action} would nest executions ${depth} deep (at most ${MAX_DEPTH})`;
    return failAttempt(d, runId, { code: 'max_depth_exceeded', message });
  }
  const previous = a.retryOf === undefined ? undefined : d.state.activations[activationKey(a.task, a.retryOf)];
  const previousRun = previous?.runs[item ?? 0];
  if (attempt === 1 && previousRun?.childExecutionId && previousRun.status !== 'succeeded') {
    // Retry of a failed execution continues into the child rather than starting it afresh.
    d.emit('ChildExecutionRetryRequested', { runId, task: a.task, attempt, childExecutionId: previousRun.childExecutionId });
    return;
  }
  d.emit('ChildExecutionRequested', {
    runId,
    task: a.task,
    attempt,
    childExecutionId: `${runId}@${attempt}`,
    workflow: d.workflow.tasks[a.task].action,
    parameters: input,
    depth,
  });
}

function renderFailure(task: string, where: string, error: unknown) {
  if (error instanceof RenderError) return expressionError(task, where, `{{ ${error.source} }}`, error.reason);
  return expressionError(task, where, '', error instanceof Error ? error.message : String(error));
}
