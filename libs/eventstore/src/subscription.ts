/**
 * Catch-up-then-live subscriptions, written once over two things every adapter has: pages of the
 * global log (readAll) and a signal that the head moved past a position. Catching up and following
 * live are the same loop — always "read after the last position handled" — so the hand-off can
 * neither skip nor repeat an event. This relies on the adapter's readAll never showing a position
 * before every smaller position is visible (true by construction for a single SQLite writer).
 */
import type { EventHandler, ReadAllOptions, ReadAllPage, SubscribeOptions, Subscription } from './event-store';

export interface SubscriptionSource {
  readAll(options: ReadAllOptions): Promise<ReadAllPage>;
  /** Resolves once the log's head is beyond `after`, or as soon as `signal` aborts. */
  waitForAppend(after: number, signal: AbortSignal): Promise<void>;
}

const DEFAULT_BATCH_SIZE = 500;

export function catchUpSubscription(
  source: SubscriptionSource,
  handler: EventHandler,
  options: SubscribeOptions = {},
): Subscription {
  return new CatchUpSubscription(source, handler, options);
}

class CatchUpSubscription implements Subscription {
  readonly caughtUp: Promise<void>;
  readonly done: Promise<void>;
  private current: number;
  private readonly abort = new AbortController();
  private caughtUpSettled = false;
  private settleCaughtUp!: (error?: unknown) => void;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly handler: EventHandler,
    private readonly options: SubscribeOptions,
  ) {
    this.current = options.after ?? 0;
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.settleCaughtUp = (error) => {
        if (this.caughtUpSettled) return;
        this.caughtUpSettled = true;
        if (error === undefined) resolve();
        else reject(error);
      };
    });
    this.done = this.run();
    // Both promises are observed here so that a subscriber that never awaits them does not crash
    // the process with an unhandled rejection; whoever awaits them still sees the error.
    this.caughtUp.catch(() => undefined);
    this.done.catch(() => undefined);
  }

  get position(): number {
    return this.current;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done.catch(() => undefined);
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    const { eventTypes, streamPrefix } = this.options;
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    try {
      while (!signal.aborted) {
        const after = this.current;
        const page = await this.source.readAll({ after, maxCount: batchSize, eventTypes, streamPrefix });
        for (const event of page.events) {
          if (signal.aborted) return;
          await this.handler(event);
          this.current = event.position;
        }
        if (signal.aborted) return;
        // Events the filter skipped count as handled, so a checkpoint saved now skips them too.
        this.current = Math.max(this.current, page.nextAfter);
        if (page.isEnd) {
          this.settleCaughtUp();
          await this.source.waitForAppend(this.current, signal);
        } else if (this.current <= after) {
          throw new Error(`readAll made no progress after position ${after} without reaching the end`);
        } else {
          // An in-memory adapter answers readAll without I/O: yield so a long catch-up does not
          // starve the event loop (and the appends it is racing against).
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
    } catch (error) {
      this.settleCaughtUp(error);
      throw error;
    } finally {
      this.settleCaughtUp(new Error('subscription stopped before it caught up'));
    }
  }
}

/**
 * The "head moved" signal for adapters that learn about commits in-process: call advance() after
 * each commit; subscriptions wait() on it instead of polling.
 */
export class HeadSignal {
  private readonly waiters = new Set<{ after: number; wake: () => void }>();
  private closed = false;

  constructor(private current = 0) {}

  get head(): number {
    return this.current;
  }

  advance(position: number): void {
    if (position <= this.current) return;
    this.current = position;
    for (const waiter of this.waiters) if (waiter.after < position) waiter.wake();
  }

  wait(after: number, signal: AbortSignal): Promise<void> {
    if (this.closed || signal.aborted || this.current > after) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter = {
        after,
        wake: () => {
          this.waiters.delete(waiter);
          signal.removeEventListener('abort', waiter.wake);
          resolve();
        },
      };
      this.waiters.add(waiter);
      signal.addEventListener('abort', waiter.wake, { once: true });
    });
  }

  /** Wakes every waiter for good (the store is closing). */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiters) waiter.wake();
  }
}

/**
 * The subscriptions an adapter has handed out, so that closing the store can end them all. Each
 * adapter only supplies its source (its readAll and its head signal).
 */
export class SubscriptionSet {
  private readonly open = new Set<Subscription>();

  constructor(private readonly source: SubscriptionSource) {}

  start(handler: EventHandler, options?: SubscribeOptions): Subscription {
    const subscription = catchUpSubscription(this.source, handler, options);
    this.open.add(subscription);
    const forget = () => this.open.delete(subscription);
    subscription.done.then(forget, forget);
    return subscription;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.open].map((subscription) => subscription.stop()));
  }
}
