/**
 * A rebuild without downtime (blue/green): replay the log from the new generation's checkpoint
 * (0 for a fresh one) while the active generation keeps serving reads and following live events;
 * once caught up, pause the live runner, apply the last few events, switch atomically, and let the
 * live runner go on from the new generation. The old generation is dropped afterwards.
 *
 * Canceling stops the replay and keeps the generation with its checkpoint: starting the rebuild
 * again resumes it there. An apply error stops the rebuild on that event and keeps it shown.
 */
import type { EventStore, LogReader, ReadAllPage, RecordedEvent } from '@trellis/eventstore';
import type { ReadStore } from '@trellis/readstore';
import type { AppliedBatch } from './applier';
import { errorInfo, progressAt, type RebuildProgress } from './status';

/** What a rebuild needs from the runner of the same projection. */
export interface RebuildHost {
  readonly name: string;
  /** The event types the projection applies (undefined: all), so the log is read filtered. */
  readonly eventTypes: readonly string[] | undefined;
  applyBatch(events: readonly RecordedEvent[], generation: number, through: number): Promise<AppliedBatch>;
  /** Stops applying to the active generation (after its current batch). */
  pauseLive(): Promise<void>;
  /** Starts applying to whatever generation is active now. */
  resumeLive(): Promise<void>;
  /** Called after every batch and at every change of status. */
  report(progress: RebuildProgress): void;
}

export interface RebuildOptions {
  batchSize: number;
  /** Wait this long after the switch before dropping the previous generation. */
  dropDelayMs: number;
}

export class Rebuild {
  readonly finished: Promise<RebuildProgress>;
  private canceled = false;
  private progress: RebuildProgress;

  constructor(
    private readonly store: EventStore,
    private readonly readStore: ReadStore,
    private readonly host: RebuildHost,
    generation: number,
    from: number,
    private readonly options: RebuildOptions,
  ) {
    this.progress = {
      status: 'running',
      generation,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      from,
      position: from,
      head: from,
      done: 0,
      total: 0,
      eventsPerSecond: 0,
      etaSeconds: null,
      error: null,
    };
    this.finished = this.run();
  }

  get current(): RebuildProgress {
    return this.progress;
  }

  /** Stops the replay; the generation and its checkpoint stay for a later resume. */
  async cancel(): Promise<RebuildProgress> {
    this.canceled = true;
    return this.finished;
  }

  private async run(): Promise<RebuildProgress> {
    const { generation } = this.progress;
    let livePaused = false;
    let reader: LogReader | undefined;
    try {
      reader = this.store.openLogReader();
      // While the old generation serves reads and follows live appends.
      if (!(await this.replayUntilHead(reader, generation))) return this.end('canceled');
      // The live runner stops so that nothing moves the old generation ahead of the new one
      // between the last batch and the switch; reads go on meanwhile.
      this.update({ status: 'switching' });
      await this.host.pauseLive();
      livePaused = true;
      if (!(await this.replayUntilHead(reader, generation))) return this.end('canceled');
      const { previous } = await this.readStore.switchGeneration(this.host.name, generation);
      await this.host.resumeLive();
      livePaused = false;
      this.dropLater(previous);
      return this.end('done');
    } catch (error) {
      return this.end(this.canceled ? 'canceled' : 'failed', error);
    } finally {
      try {
        if (livePaused) await this.host.resumeLive();
      } finally {
        await reader?.close();
      }
    }
  }

  /**
   * Applies pages of the log until the generation has everything up to the head; false when
   * canceled. A rebuild reads pages itself rather than through a subscription: it only has to
   * reach the head, and the store can leave out the event types the projection ignores. The next
   * page is asked for before the current one is applied, so a reader on another thread (SQLite)
   * or another server reads while this one applies.
   */
  private async replayUntilHead(reader: LogReader, generation: number): Promise<boolean> {
    const read = (after: number) => {
      const page = reader.readAll({ after, maxCount: this.options.batchSize, eventTypes: this.host.eventTypes });
      // Handled now, awaited later: a page read ahead may fail while this loop waits on
      // something else, and an unhandled rejection would end the process.
      page.catch(() => undefined);
      return page;
    };
    let next: Promise<ReadAllPage> | undefined;
    try {
      for (;;) {
        if (this.canceled) return false;
        const head = await this.store.headPosition();
        this.update({ head });
        if (!next) {
          if (this.progress.position >= head) return true;
          next = read(this.progress.position);
        }
        const page = await next;
        next = undefined;
        if (page.nextAfter <= this.progress.position) throw new Error(`the log made no progress after position ${this.progress.position}`);
        // At the end of the log as this page saw it, the loop asks for the head again instead.
        if (!page.isEnd) next = read(page.nextAfter);
        const batch = await this.host.applyBatch(page.events, generation, page.nextAfter);
        this.update({ position: batch.position, head: Math.max(head, batch.position) });
      }
    } finally {
      // A page read ahead and not applied (canceled, failed) is dropped, with its error if any.
      next = undefined;
    }
  }

  private dropLater(generation: number): void {
    const drop = () =>
      this.readStore.dropGeneration(this.host.name, generation).catch(() => {
        // Left retired: the runner drops retired generations when it starts.
      });
    if (this.options.dropDelayMs <= 0) void drop();
    else setTimeout(drop, this.options.dropDelayMs).unref();
  }

  private end(status: RebuildProgress['status'], error?: unknown): RebuildProgress {
    this.update({ status, finishedAt: new Date().toISOString(), error: error === undefined ? null : errorInfo(error) });
    return this.progress;
  }

  private update(fields: Partial<RebuildProgress>): void {
    this.progress = progressAt({ ...this.progress, ...fields }, fields.head ?? this.progress.head);
    this.host.report(this.progress);
  }
}
