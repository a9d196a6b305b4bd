/**
 * The process manager of executions: after a decision it looks at what the execution needs now
 * (nextActions — the same reading the simulator drives from) and sets it going: built-ins run
 * in-process, other actions are offered to workers, timers are armed, children are started,
 * canceled or retried, and an execution that ended tells its parent. Every action is idempotent
 * and derived from the state, so reacting twice to the same state does nothing new.
 *
 * It reacts inside the engine's outcome callback, i.e. in order with the decisions of the stream;
 * in `driven` mode it reacts only to Drive commands, which is how process managers fed by a
 * subscription (and the duplicate-delivery test) run it.
 */
import { liveRuns, nextActions, type ExecutionState, type RunToDispatch } from '@trellis/workflow';
import type { RecordedEvent } from '@trellis/eventstore';
import { isPureBuiltin } from '../engine/driving-decider';
import type { EngineInput, ExecutionEngine, ExecutionOutcome } from '../engine/execution-engine';
import type { TimerService } from '../timers/timer-service';
import type { HeldRun, WorkerQueue } from '../workers/worker-queue';
import type { ChildExecutions } from './child-executions';
import type { InProcessRunner } from './in-process-runner';

export type ReactionMode = 'direct' | 'driven';

export class Reactor {
  private readonly driving = new Set<string>();
  private stopped = false;

  constructor(
    private readonly engine: ExecutionEngine,
    private readonly timers: TimerService,
    private readonly workers: WorkerQueue,
    private readonly runner: InProcessRunner,
    private readonly children: ChildExecutions,
    private readonly mode: ReactionMode = 'direct',
    private readonly onError: (error: unknown, what: string) => void = () => undefined,
  ) {
    engine.onOutcome((executionId, outcome, command) => this.onOutcome(executionId, outcome, command));
  }

  private onOutcome(executionId: string, outcome: ExecutionOutcome, command: EngineInput): void {
    if (this.stopped || (this.mode === 'driven' && command.type !== 'Drive')) return;
    try {
      this.react(executionId, outcome.state, outcome.events);
    } catch (error) {
      this.onError(error, `reaction to ${executionId}`);
    }
  }

  private react(executionId: string, state: ExecutionState, events: readonly RecordedEvent[]): void {
    if (state.status === 'new') return;
    for (const event of events) {
      if (event.type === 'ChildExecutionCancelRequested') this.children.cancel((event.data as { childExecutionId: string }).childExecutionId);
    }
    const actions = nextActions(state);
    this.timers.sync(executionId, actions.timers);

    const offered: RunToDispatch[] = [];
    let pureLeft = false;
    for (const run of actions.dispatch) {
      if (!this.runner.handles(run.action)) offered.push(run);
      else if (this.engine.inlinePureBuiltins && isPureBuiltin(run.action)) pureLeft = true;
      else this.runner.run(executionId, run, false);
    }
    const held: HeldRun[] = [];
    for (const { key, run } of liveRuns(state)) {
      if (run.kind !== 'action' || run.status !== 'running' || !run.action) continue;
      if (!this.runner.handles(run.action)) held.push({ runId: run.runId, attempt: run.attempt, heartbeatMs: run.heartbeatMs });
      else {
        const task = state.activations[key].task;
        this.runner.run(executionId, { runId: run.runId, task, action: run.action, attempt: run.attempt, idempotencyKey: run.runId, input: run.input }, true);
      }
    }
    this.workers.sync(executionId, state.workflow, offered, held);

    for (const child of actions.children) this.children.ensure(state, child);
    if (actions.done && state.parent) this.children.report(state).catch((error) => this.onError(error, `report of ${executionId} to its parent`));
    // A decision that hit its cap on pure built-ins leaves some due: decide them next.
    if (pureLeft && !this.driving.has(executionId)) {
      this.driving.add(executionId);
      this.drive(executionId)
        .catch((error) => this.onError(error, `drive of ${executionId}`))
        .finally(() => this.driving.delete(executionId));
    }
  }

  /** From now on decisions still landing (while the runtime shuts down) set nothing new going. */
  stop(): void {
    this.stopped = true;
  }

  /** Decides what is due for the execution and reacts to the result (recovery, process managers). */
  async drive(executionId: string): Promise<void> {
    await this.engine.send(executionId, { type: 'Drive' });
  }
}
