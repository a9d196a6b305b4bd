import { StoreUnavailableError } from './errors';

/**
 * The EventStore port. Adapters (sqlite, postgres, kurrentdb) extend this class; the class itself
 * is the DI token the server binds to the configured adapter.
 */

/** What the caller expects the stream's last revision to be when appending. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

/** The metadata fields a caller may set (the store fills in defaults for the missing ones). */
export interface EventMetadataFields {
  actor: string;
  correlationId: string;
  causationId: string | null;
  occurredAt: string;
  schemaVersion: number;
  /** Present on events appended by a command that carried an idempotency key. */
  idempotencyKey?: string;
}

export interface EventMetadata extends EventMetadataFields {
  /** SHA-256 of the previous event of the same stream ('' for the first) and of this event. */
  prevHash: string;
  hash: string;
  [extra: string]: unknown;
}

/**
 * Metadata a caller may set; the store fills in the rest (hash chain, defaults).
 * (Spelled out rather than as Omit<EventMetadata, ...>: Omit over an index signature drops the
 * named fields, which left actor & co. typed `unknown`.)
 */
export type NewEventMetadata = Partial<EventMetadataFields> & { [extra: string]: unknown };

export interface NewEvent<T = unknown> {
  /** A uuid. Re-appending an event id that is already stored is a no-op (see append). */
  id?: string;
  type: string;
  data: T;
  metadata?: NewEventMetadata;
}

export interface RecordedEvent<T = unknown> {
  id: string;
  type: string;
  streamId: string;
  /** 0-based position of the event inside its stream. */
  revision: number;
  /** 1-based position in the global log; strictly increasing in commit order. */
  position: number;
  data: T;
  metadata: EventMetadata;
}

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  streamId: string;
  /** Revision of the stream's last event after the append. */
  revision: number;
  /** The events as stored (for a duplicate append: the originally stored events). */
  events: RecordedEvent[];
  /** True when every event id was already stored: nothing new was written. */
  duplicate: boolean;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive start revision; default: the first (forwards) or last (backwards) event. */
  fromRevision?: number;
  /** Default: no limit. */
  maxCount?: number;
}

export interface ReadAllFilter {
  /** Only events of these types; an empty list matches nothing. */
  eventTypes?: readonly string[];
  /** Only streams whose id starts with this text (literal and case-sensitive, no wildcards). */
  streamPrefix?: string;
}

export interface ReadAllOptions extends ReadAllFilter {
  /** Exclusive global position to read after; default 0 (from the beginning). */
  after?: number;
  /** Default: no limit. */
  maxCount?: number;
}

export interface ReadAllPage {
  events: RecordedEvent[];
  /** The position up to which the log was examined: pass it as `after` to continue. */
  nextAfter: number;
  /** True when the page reached the head of the log as it was when read. */
  isEnd: boolean;
}

export interface SubscribeOptions extends ReadAllFilter {
  /** Exclusive position to start after (a checkpoint); default 0. */
  after?: number;
  batchSize?: number;
}

export type EventHandler = (event: RecordedEvent) => void | Promise<void>;

export interface Subscription {
  /** Resolves when the subscription first reaches the head of the log. */
  readonly caughtUp: Promise<void>;
  /** Resolves when the subscription ends: after stop(), or rejects when the handler throws. */
  readonly done: Promise<void>;
  /** The position of the last event handled (or skipped by the filter). */
  readonly position: number;
  stop(): Promise<void>;
}

/** One long sequential scan of the log; see EventStore.openLogReader. */
export interface LogReader {
  /** As EventStore.readAll. */
  readAll(options?: ReadAllOptions): Promise<ReadAllPage>;
  close(): Promise<void>;
}

export abstract class EventStore {
  /** Name shown in the banner and /health, e.g. 'sqlite'. */
  abstract readonly backend: string;

  /**
   * Appends events to one stream atomically, checking `expectedRevision` (default 'any').
   * Throws WrongExpectedVersionError on a mismatch. If the first event's id is already stored
   * in this stream, nothing is written and the original events are returned (`duplicate: true`).
   */
  abstract append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;

  /** Reads one stream; an unknown stream reads as empty. */
  abstract readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Reads the global log in position order. */
  abstract readAll(options?: ReadAllOptions): Promise<ReadAllPage>;

  /** The position of the last committed event (0 when the log is empty). */
  abstract headPosition(): Promise<number>;

  /**
   * A reader for one long scan of the log, such as a projection rebuild, which asks for the next
   * page before it applies the current one. An adapter may serve it from another connection or
   * thread so that the two overlap; by default it reads through readAll. Close it when done.
   */
  openLogReader(): LogReader {
    let closed = false;
    return {
      readAll: async (options) => {
        if (closed) throw new StoreUnavailableError('the log reader is closed');
        return this.readAll(options);
      },
      close: async () => {
        closed = true;
      },
    };
  }

  /** Catch up from `after`, then follow live appends, with no gap and no duplicate at the hand-off. */
  abstract subscribe(handler: EventHandler, options?: SubscribeOptions): Subscription;

  abstract close(): Promise<void>;
}
