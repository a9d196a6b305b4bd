/**
 * Child workflows (WORKFLOWS.md, Built-in actions): a task whose action is a workflow ref starts a
 * child execution with the task's input as parameters; the child's output (or failure) ends the
 * parent's run; canceling the parent cancels the child; a retried parent retries the child.
 * Every step is idempotent — the child id comes from the decider, a repeated start or cancel
 * changes nothing, a retry is keyed by the parent's run — so driving it again after a crash or a
 * duplicate delivery is safe.
 */
import { DomainError } from '@trellis/domain';
import { findRun, liveRuns, type ChildInFlight, type ExecutionState } from '@trellis/workflow';
import type { ExecutionEngine } from '../engine/execution-engine';
import { TERMINAL_STATUSES } from '../executions/execution-index';

export class ChildExecutions {
  private readonly busy = new Set<string>();

  constructor(
    private readonly engine: ExecutionEngine,
    private readonly onError: (error: unknown, what: string) => void = () => undefined,
  ) {}

  /** Brings a child the parent waits for to where the parent's state says it should be. */
  ensure(parent: ExecutionState, child: ChildInFlight): void {
    const key = `${child.childExecutionId}|${child.runId}@${child.attempt}|${child.cancelRequested}`;
    if (this.busy.has(key)) return;
    this.busy.add(key);
    this.drive(parent, child)
      .catch((error) => this.onError(error, `child execution ${child.childExecutionId}`))
      .finally(() => this.busy.delete(key));
  }

  /** Asks a child to cancel (the parent is canceling, or the attempt that started it timed out). */
  cancel(childExecutionId: string): void {
    if (!this.engine.index.get(childExecutionId)) return;
    this.engine
      .send(childExecutionId, { type: 'CancelExecution', actor: 'system', reason: 'the parent execution asked' })
      .catch((error) => {
        if (!(error instanceof DomainError)) this.onError(error, `cancel of child ${childExecutionId}`);
      });
  }

  /** An execution that ended tells its parent, whose run waiting for it ends the same way. */
  async report(child: ExecutionState): Promise<void> {
    if (!child.parent) return;
    const parentId = child.parent.executionId;
    const { state: parent } = await this.engine.load(parentId);
    const waiting = liveRuns(parent).find(({ run }) => run.kind === 'workflow' && run.status === 'running' && run.childExecutionId === child.executionId);
    if (!waiting) return;
    const { run } = waiting;
    const report = { runId: run.runId, fencingToken: run.attempt };
    const command =
      child.status === 'succeeded'
        ? { type: 'CompleteTaskRun' as const, ...report, result: child.output ?? null }
        : {
            type: 'FailTaskRun' as const,
            ...report,
            error: {
              code: child.status === 'canceled' ? 'child_canceled' : 'child_failed',
              message: child.status === 'canceled' ? `child execution ${child.executionId} was canceled` : `child execution ${child.executionId} failed: ${child.error?.message ?? 'failed'}`,
              details: { executionId: child.executionId, ...(child.error ? { error: child.error } : {}) },
            },
          };
    await this.engine.send(parentId, command, { causationId: child.executionId }).catch(ignoreRejection);
  }

  private async drive(parent: ExecutionState, child: ChildInFlight): Promise<void> {
    const id = child.childExecutionId;
    const known = this.engine.index.get(id);
    if (child.cancelRequested) {
      if (known && !TERMINAL_STATUSES.includes(known.status)) return this.cancel(id);
      if (!known) return this.failParentRun(parent, child, 'child_canceled', `child execution ${id} was canceled before it started`);
    }
    const retry = id !== `${child.runId}@${child.attempt}`;
    if (!known && !retry) {
      try {
        await this.engine.start({
          workflow: child.workflow,
          parameters: (child.parameters ?? {}) as Record<string, unknown>,
          executionId: id,
          actor: parent.actor,
          parent: { executionId: parent.executionId, runId: child.runId, depth: parent.depth + 1 },
          correlationId: parent.executionId,
          causationId: child.runId,
        });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return this.failParentRun(parent, child, 'child_not_started', `child execution of ${child.workflow} could not start: ${error.message}`, error.details);
      }
      return;
    }
    if (retry && known?.status === 'failed') {
      // Keyed by the parent's run: only the first request retries the child; a repeat is refused
      // as a duplicate, and then the child's failure is one that came after the retry.
      const retried = await this.engine
        .send(id, { type: 'RetryExecution', actor: 'system' }, { idempotencyKey: `retry-for:${child.runId}@${child.attempt}`, causationId: child.runId })
        .then((outcome) => !outcome.duplicate && outcome.events.length > 0, (error) => (ignoreRejection(error), false));
      if (retried) return;
    }
    const current = this.engine.index.get(id);
    if (current && TERMINAL_STATUSES.includes(current.status)) await this.report((await this.engine.load(id)).state);
  }

  private async failParentRun(parent: ExecutionState, child: ChildInFlight, code: string, message: string, details: Record<string, unknown> = {}) {
    const run = findRun(parent, child.runId)?.run;
    if (!run || run.attempt !== child.attempt) return;
    await this.engine
      .send(parent.executionId, { type: 'FailTaskRun', runId: child.runId, fencingToken: child.attempt, error: { code, message, details } })
      .catch(ignoreRejection);
  }
}

function ignoreRejection(error: unknown): void {
  if (error instanceof DomainError) return;
  throw error;
}
