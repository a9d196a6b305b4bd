/**
 * Starting an execution: parameters checked against `input` (defaults filled in), vars computed
 * in order, search values indexed, the execution timeout armed, entry tasks reached.
 */
import { DomainError } from '@trellis/domain';
import { addDuration, MAX_DEPTH, render, RenderError } from '../definition';
import { startActivation } from './activation';
import type { StartExecution } from './commands';
import type { Decision } from './decision';
import { expressionError } from './errors';
import type { ExecutionError } from './events';
import { computeSearch } from './search';
import { startFailing } from './stopping';

export function onStart(d: Decision, command: StartExecution): DomainError | void {
  const { workflow } = d;
  if (d.state.status !== 'new') {
    if (d.state.executionId === command.executionId) return;
    return new DomainError('version_conflict', `execution ${d.state.executionId} has already started`);
  }
  const checked = workflow.validateParameters(command.parameters ?? {});
  if (!checked.ok) {
    return new DomainError('validation_failed', `parameters do not match the input of ${workflow.ref}`, { violations: checked.errors });
  }
  const depth = command.parent?.depth ?? 0;
  if (depth > MAX_DEPTH) {
    return new DomainError('validation_failed', `executions nest at most ${MAX_DEPTH} deep`, { depth });
  }
  const parameters = checked.value;
  const system = {
    execution_id: command.executionId,
    workflow: workflow.ref,
    version: command.version ?? 1,
    actor: command.actor,
    started_at: command.now,
  };
  const vars: Record<string, unknown> = {};
  let failure: ExecutionError | undefined;
  for (const { name, value } of workflow.vars) {
    try {
      vars[name] = render(value, { parameters, system });
    } catch (error) {
      const source = error instanceof RenderError ? `{{ ${error.source} }}` : '';
      failure = expressionError(undefined, `vars.${name}`, source, error instanceof RenderError ? error.reason : String(error));
      break;
    }
  }
  const reached = failure ? [] : workflow.entry.map((task) => ({ task, activation: 1, via: 'start' }));
  d.emit('ExecutionStarted', {
    executionId: command.executionId,
    workflow: workflow.ref,
    version: system.version,
    parameters,
    vars,
    search: computeSearch(workflow, parameters, vars),
    actor: command.actor,
    ...(command.parent ? { parent: { executionId: command.parent.executionId, runId: command.parent.runId } } : {}),
    depth,
    startedAt: command.now,
    reached,
  });
  if (workflow.limits.timeoutMs) {
    d.emit('TimerScheduled', {
      timerId: `${command.executionId}.timeout`,
      dueAt: addDuration(command.now, workflow.limits.timeoutMs),
      purpose: 'execution_timeout',
    });
  }
  if (failure) return startFailing(d, failure);
  for (const r of reached) startActivation(d, r);
}
