/**
 * The global log as batches: a catch-up-then-live subscription fills a bounded queue, and the
 * consumer takes up to a batch at a time. The subscription gives the no-gap/no-duplicate hand-off
 * from catching up to following live; the queue turns its one-event-at-a-time delivery into the
 * batches a projection is applied in, and holds the subscription back while the consumer is busy.
 */
import type { EventStore, RecordedEvent, Subscription } from '@trellis/eventstore';

export interface EventFeedOptions {
  /** Exclusive position to start after (a checkpoint). */
  after: number;
  /** Events read from the store per page. */
  pageSize?: number;
  /** The subscription waits while this many events are queued. */
  highWater?: number;
}

export class EventFeed {
  private queue: RecordedEvent[] = [];
  private next = 0;
  private readonly highWater: number;
  private readonly subscription: Subscription;
  private wake?: () => void;
  private resume?: () => void;
  private ended = false;
  private stopped = false;
  private failure: unknown;

  constructor(store: EventStore, options: EventFeedOptions) {
    this.highWater = options.highWater ?? 4 * (options.pageSize ?? 1000);
    this.subscription = store.subscribe((event) => this.push(event), { after: options.after, batchSize: options.pageSize ?? 1000 });
    this.subscription.done.then(
      () => this.end(undefined),
      (error: unknown) => this.end(error),
    );
  }

  /** Resolves once the subscription has delivered everything that was in the log when it started. */
  get caughtUp(): Promise<void> {
    return this.subscription.caughtUp;
  }

  get queued(): number {
    return this.queue.length - this.next;
  }

  /**
   * Up to `max` events, waiting for at least one. Empty once the feed has stopped. Waking is
   * deferred by one macrotask so a page being delivered lands in one batch, not one event each.
   */
  async take(max: number): Promise<RecordedEvent[]> {
    await this.ready();
    if (this.stopped) return [];
    if (this.queued === 0) {
      if (this.failure !== undefined) throw this.failure;
      return [];
    }
    const batch = this.queue.slice(this.next, this.next + max);
    this.next += batch.length;
    if (this.next === this.queue.length) {
      this.queue = [];
      this.next = 0;
    }
    if (this.resume && this.queued < this.highWater / 2) {
      const resume = this.resume;
      this.resume = undefined;
      resume();
    }
    return batch;
  }

  /** Resolves once an event is queued, or the feed has stopped, ended or failed (take() then tells which). */
  async ready(): Promise<void> {
    while (this.queued === 0 && !this.stopped && !this.ended && this.failure === undefined) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async stop(): Promise<void> {
    this.stopped = this.ended = true;
    this.resume?.();
    this.notify();
    await this.subscription.stop();
  }

  private push(event: RecordedEvent): void | Promise<void> {
    this.queue.push(event);
    this.notify();
    if (this.queued >= this.highWater && !this.ended) return new Promise<void>((resolve) => (this.resume = resolve));
  }

  private end(error: unknown): void {
    this.ended = true;
    if (error !== undefined) this.failure = error;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    if (!wake) return;
    this.wake = undefined;
    setImmediate(wake);
  }
}
