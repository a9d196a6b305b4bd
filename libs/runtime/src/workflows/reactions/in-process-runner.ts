/**
 * Runs the built-in actions this process carries out itself. A quick action (no I/O) runs first
 * and is reported with its start in one decision; an action with I/O is started (visible as
 * running, under its timeout), run, then reported. A run found running that this process is not
 * running (after a restart) is run again: built-ins are idempotent by the run's idempotency key.
 * Reports that fail for a reason other than a rejection are retried, so a run never stays half-done.
 */
import { DomainError } from '@trellis/domain';
import { normalizeTaskError } from '@trellis/workflow';
import { ActionFailure, type InProcessAction } from '../actions';
import type { RunReport } from '../engine/driving-decider';
import type { ExecutionEngine } from '../engine/execution-engine';
import type { Secrets } from '../secrets/secrets';

export interface InProcessRun {
  runId: string;
  task: string;
  action: string;
  attempt: number;
  idempotencyKey: string;
  input: unknown;
}

const QUICK = new Set(['core.noop', 'core.echo', 'core.fail', 'core.render']);
const REPORT_RETRIES = 5;

export class InProcessRunner {
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private stopped = false;

  constructor(
    private readonly engine: ExecutionEngine,
    private readonly actions: ReadonlyMap<string, InProcessAction>,
    private readonly secrets: Secrets,
    private readonly onError: (error: unknown, what: string) => void = () => undefined,
  ) {}

  handles(action: string): boolean {
    return this.actions.has(action);
  }

  get size(): number {
    return this.running.size;
  }

  /** Starts the run unless this process already runs it; `started`: its start is already recorded. */
  run(executionId: string, run: InProcessRun, started: boolean): void {
    const key = `${run.runId}@${run.attempt}`;
    if (this.stopped || this.running.has(key)) return;
    const abort = new AbortController();
    const done = this.execute(executionId, run, started, abort.signal)
      .catch((error) => this.onError(error, `task run ${run.runId}`))
      .finally(() => this.running.delete(key));
    this.running.set(key, { abort, done });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const { abort } of this.running.values()) abort.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private async execute(executionId: string, run: InProcessRun, started: boolean, signal: AbortSignal): Promise<void> {
    const action = this.actions.get(run.action);
    if (!action) return;
    const report = { runId: run.runId, fencingToken: run.attempt };
    const start: RunReport = { type: 'StartTaskRun', ...report, worker: 'engine' };
    const quick = QUICK.has(run.action);
    if (!quick && !started) {
      const outcome = await this.engine.send(executionId, { type: 'StartTaskRun', ...report, worker: 'engine' }).catch(rejectedAsUndefined);
      if (!outcome?.events.length) return;
    }
    let ended: RunReport;
    try {
      const context = { executionId, runId: run.runId, task: run.task, attempt: run.attempt, idempotencyKey: run.idempotencyKey, signal };
      const result = await action(this.secrets.resolve(run.input), context);
      ended = { type: 'CompleteTaskRun', ...report, result: this.secrets.mask(result ?? null) };
    } catch (error) {
      if (signal.aborted) return;
      ended = { type: 'FailTaskRun', ...report, error: this.secrets.mask(failureOf(error)) };
    }
    const commands = quick && !started ? [start, ended] : [ended];
    for (let attempt = 0; ; attempt++) {
      try {
        await this.engine.send(executionId, { type: 'ReportBatch', commands });
        return;
      } catch (error) {
        if (error instanceof DomainError || attempt >= REPORT_RETRIES || this.stopped) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }
}

function failureOf(error: unknown) {
  // normalizeTaskError gathers every field but code and message into `details`.
  if (error instanceof ActionFailure) return { code: error.code, message: error.message, ...error.details };
  // A refused entity command (core.transition) keeps its code: invalid_transition, guard_failed, ...
  if (error instanceof DomainError) return { code: error.code, message: error.message, ...error.details };
  return normalizeTaskError(error instanceof Error ? { code: 'error', message: error.message } : error);
}

function rejectedAsUndefined(error: unknown): undefined {
  if (error instanceof DomainError) return undefined;
  throw error;
}
