/**
 * Durable timers (DESIGN.md, Timers): the TimerScheduled events are the durable part; this keeps
 * the live ones in memory and fires each at its due time as a FireTimer command. It is given each
 * execution's live timers after every decision (and at startup, for every running execution), so
 * it never reads the store itself. Firing is idempotent: a timer that already fired, or whose run
 * ended, fires into nothing in the decider.
 */
import type { TimerToArm } from '@trellis/workflow';
import { DueQueue } from '../scheduling/due-queue';

export type FireTimer = (executionId: string, timerId: string) => Promise<void>;

interface Armed {
  executionId: string;
  timerId: string;
}

const RETRY_MS = 1000;

export class TimerService {
  private readonly queue: DueQueue<Armed>;
  private readonly byExecution = new Map<string, Set<string>>();
  private stopped = false;

  constructor(
    private readonly fire: FireTimer,
    private readonly onError: (error: unknown, timer: Armed) => void = () => undefined,
    now: () => number = Date.now,
  ) {
    this.queue = new DueQueue((_key, timer) => this.due(timer), now);
  }

  /** Makes the armed timers of an execution exactly `timers` (none once it has ended). */
  sync(executionId: string, timers: readonly TimerToArm[]): void {
    const wanted = new Set(timers.map((t) => t.timerId));
    const armed = this.byExecution.get(executionId);
    if (armed) {
      for (const timerId of armed) {
        if (!wanted.has(timerId)) {
          this.queue.delete(key(executionId, timerId));
          armed.delete(timerId);
        }
      }
    }
    if (timers.length === 0) {
      this.byExecution.delete(executionId);
      return;
    }
    const set = armed ?? new Set<string>();
    for (const timer of timers) {
      if (set.has(timer.timerId)) continue;
      set.add(timer.timerId);
      this.queue.set(key(executionId, timer.timerId), Date.parse(timer.dueAt), { executionId, timerId: timer.timerId });
    }
    this.byExecution.set(executionId, set);
  }

  get size(): number {
    return this.queue.size;
  }

  stop(): void {
    this.stopped = true;
    this.queue.stop();
  }

  private due(timer: Armed): void {
    if (this.stopped) return;
    this.byExecution.get(timer.executionId)?.delete(timer.timerId);
    this.fire(timer.executionId, timer.timerId).catch((error) => {
      this.onError(error, timer);
      // Fired into a store that failed: try again shortly (firing twice changes nothing).
      if (this.stopped) return;
      this.byExecution.get(timer.executionId)?.add(timer.timerId) ?? this.byExecution.set(timer.executionId, new Set([timer.timerId]));
      this.queue.set(key(timer.executionId, timer.timerId), Date.now() + RETRY_MS, timer);
    });
  }
}

const key = (executionId: string, timerId: string) => `${executionId}\n${timerId}`;
