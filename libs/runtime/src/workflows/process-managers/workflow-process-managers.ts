/**
 * The process managers of the design card, fed by one checkpointed subscription to the global log
 * (at-least-once): execution events drive their execution (what the reactor did not already react
 * to in this process — after a restart, or when another writer appended them), and an entity's
 * `<Entity>HookTriggered` starts the hook's workflow exactly once per entry (the execution id is
 * derived from the event id). Delivering any event twice changes nothing.
 */
import { DomainError, factOf } from '@trellis/domain';
import type { RecordedEvent } from '@trellis/eventstore';
import type { ExecutionEngine } from '../engine/execution-engine';
import { EXECUTION_STREAM_PREFIX, executionIdOf, TERMINAL_STATUSES } from '../executions/execution-index';
import type { ChildExecutions } from '../reactions/child-executions';
import type { Reactor } from '../reactions/reactor';
import type { WorkflowRegistry } from '../registry/workflow-registry';

/** The execution events after which something may be due outside the decider. */
export const DRIVING_EVENT_TYPES = new Set([
  'ExecutionStarted',
  'TaskRunScheduled',
  'TaskRunStarted',
  'TaskRunFailed',
  'TaskRunTimedOut',
  'TimerScheduled',
  'ChildExecutionRequested',
  'ChildExecutionRetryRequested',
  'ChildExecutionCancelRequested',
  'ExecutionResumed',
  'ExecutionRetried',
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionCanceled',
]);

const TERMINAL_EVENTS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionCanceled']);

interface HookTriggeredData {
  hook: number;
  ref: string;
  input: unknown;
  state: string;
  entry: number;
  errors?: string[];
}

export class WorkflowProcessManagers {
  /** Per execution, the last position the reactor has seen in this process. */
  private readonly reacted = new Map<string, number>();
  /**
   * Events up to here were covered by the startup recovery, which drove every running execution
   * from its state: replaying them (a fresh checkpoint, a long downtime) would only repeat it.
   */
  coveredUpTo = 0;

  constructor(
    private readonly engine: ExecutionEngine,
    private readonly registry: WorkflowRegistry,
    private readonly reactor: Reactor,
    private readonly children: ChildExecutions,
    private readonly log: { warn(message: string): void },
    /** Skip events the reactor already reacted to (false: drive on every delivery, as in tests). */
    private readonly skipReacted = true,
  ) {
    if (skipReacted) {
      engine.onOutcome((executionId, outcome) => {
        const last = outcome.events[outcome.events.length - 1];
        if (last) this.reacted.set(executionId, Math.max(this.reacted.get(executionId) ?? 0, last.position));
        // Bounded: an execution forgotten here is merely driven once more by a later delivery.
        if (this.reacted.size > 100_000) this.reacted.delete(this.reacted.keys().next().value as string);
      });
    }
  }

  async handle(event: RecordedEvent): Promise<void> {
    if (event.streamId.startsWith(EXECUTION_STREAM_PREFIX)) return this.onExecutionEvent(event);
    if (factOf(event.type) === 'HookTriggered') return this.onHookTriggered(event);
  }

  private async onExecutionEvent(event: RecordedEvent): Promise<void> {
    if (!DRIVING_EVENT_TYPES.has(event.type)) return;
    const executionId = executionIdOf(event.streamId);
    if (event.position <= this.coveredUpTo) return;
    if (this.skipReacted && (this.reacted.get(executionId) ?? 0) >= event.position) return;
    const known = this.engine.index.get(executionId);
    // An ended execution needs nothing more, but telling its parent (which its last event drives).
    if (known && TERMINAL_STATUSES.includes(known.status) && !(known.parent && TERMINAL_EVENTS.has(event.type))) return;
    if (event.type === 'ChildExecutionCancelRequested') this.children.cancel((event.data as { childExecutionId: string }).childExecutionId);
    try {
      await this.reactor.drive(executionId);
    } catch (error) {
      // An execution of a workflow this process cannot decide is reported, not retried forever.
      if (!(error instanceof DomainError)) throw error;
      this.log.warn(`cannot drive execution ${executionId}: ${error.message}`);
    }
  }

  private async onHookTriggered(event: RecordedEvent): Promise<void> {
    const hook = event.data as HookTriggeredData;
    const entity = event.streamId;
    if (!this.registry.has(hook.ref)) {
      this.log.warn(`${event.type} on ${entity}: workflow ${hook.ref} is not registered; no execution started`);
      return;
    }
    try {
      await this.engine.start({
        workflow: hook.ref,
        parameters: (hook.input ?? {}) as Record<string, unknown>,
        actor: event.metadata.actor ?? 'system',
        idempotencyKey: `hook:${event.id}`,
        correlationId: event.metadata.correlationId,
        causationId: event.id,
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.log.warn(`${event.type} on ${entity}: workflow ${hook.ref} did not start: ${error.message}`);
    }
  }
}
