/**
 * An EventStore that delegates to a real one and lets a test intervene: hold appends at a gate,
 * or make an operation fail. Used to observe in-flight requests and backend failures over HTTP.
 */
import {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  RecordedEvent,
  SqliteEventStore,
  SubscribeOptions,
  Subscription,
} from '@trellis/eventstore';

export interface Interventions {
  /** Runs before each append reaches the real store; may wait, or throw to fail the append. */
  beforeAppend?: () => Promise<void> | void;
  headPosition?: () => Promise<number>;
}

export class InstrumentedStore extends EventStore {
  readonly backend: string;
  closed = false;

  constructor(
    readonly inner: EventStore,
    readonly interventions: Interventions = {},
  ) {
    super();
    this.backend = inner.backend;
  }

  static sqlite(file: string, interventions: Interventions = {}): InstrumentedStore {
    return new InstrumentedStore(SqliteEventStore.open({ file }), interventions);
  }

  async append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    await this.interventions.beforeAppend?.();
    return this.inner.append(streamId, events, options);
  }
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }
  readAll(options?: ReadAllOptions): Promise<ReadAllPage> {
    return this.inner.readAll(options);
  }
  headPosition(): Promise<number> {
    return this.interventions.headPosition ? this.interventions.headPosition() : this.inner.headPosition();
  }
  subscribe(handler: EventHandler, options?: SubscribeOptions): Subscription {
    return this.inner.subscribe(handler, options);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.inner.close();
  }
}

/** A gate that holds callers until opened, and tells how many are waiting. */
export class Gate {
  private waiters: Array<() => void> = [];
  private arrivals: Array<{ count: number; resolve: () => void }> = [];
  private isOpen = false;

  readonly pass = (): Promise<void> => {
    if (this.isOpen) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      this.arrivals = this.arrivals.filter((a) => (this.waiters.length >= a.count ? (a.resolve(), false) : true));
    });
  };

  /** Resolves once `count` callers are held at the gate. */
  waitFor(count: number): Promise<void> {
    if (this.waiters.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.arrivals.push({ count, resolve }));
  }

  open(): void {
    this.isOpen = true;
    this.waiters.splice(0).forEach((release) => release());
  }
}
