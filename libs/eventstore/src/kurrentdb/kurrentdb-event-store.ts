/**
 * The KurrentDB (or EventStoreDB) event store. It composes the per-operation files (append,
 * read-stream, read-all) with the shared catch-up subscription, woken by a live subscription to
 * $all. Appends to one stream are serialised inside this process — the hash chain makes each
 * depend on the one before — and acknowledged in position order (see acknowledgements.ts).
 */
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { validateAppend } from '../append-rules';
import { StoreUnavailableError } from '../errors';
import {
  EventStore,
  type AppendOptions,
  type AppendResult,
  type EventHandler,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../event-store';
import { SubscriptionSet } from '../subscription';
import { AcknowledgementOrder, KeyedSerializer } from './acknowledgements';
import { prepareAppend, type AppendOperation } from './append';
import { LiveHead } from './live-head';
import { prepareHeadPosition, prepareReadAll, type HeadPositionOperation, type ReadAllOperation } from './read-all';
import { prepareReadStream, type ReadStreamOperation } from './read-stream';

export interface KurrentDbEventStoreOptions {
  /** kurrentdb://[user:password@]host:port[?tls=false] (esdb:// works too). */
  connectionString: string;
}

export class KurrentDbEventStore extends EventStore {
  readonly backend = 'kurrentdb';
  private readonly appendOp: AppendOperation;
  private readonly readStreamOp: ReadStreamOperation;
  private readonly readAllOp: ReadAllOperation;
  private readonly headPositionOp: HeadPositionOperation;
  private readonly perStream = new KeyedSerializer();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly subscriptions = new SubscriptionSet({
    readAll: (page) => this.readAll(page),
    waitForAppend: (after, signal) => this.live.signal.wait(after, signal),
  });
  private live!: LiveHead;
  private accepting = true;
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(private readonly client: KurrentDBClient) {
    super();
    this.appendOp = prepareAppend(client, new AcknowledgementOrder());
    this.readStreamOp = prepareReadStream(client);
    this.headPositionOp = prepareHeadPosition(client);
    this.readAllOp = prepareReadAll(client, this.headPositionOp);
  }

  /** Connects and starts following the head of $all (which also proves the server answers). */
  static async open(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    const client = KurrentDBClient.connectionString(options.connectionString);
    const store = new KurrentDbEventStore(client);
    try {
      store.live = await LiveHead.start(client, store.headPositionOp);
    } catch (error) {
      await client.dispose().catch(() => undefined);
      throw error;
    }
    return store;
  }

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    if (!this.accepting) throw new StoreUnavailableError('the event store is closed');
    const expectedRevision = options.expectedRevision ?? 'any';
    validateAppend(streamId, events, expectedRevision);
    // KurrentDB hands ids back in lowercase; the chain hashes the id as stored, so it is stored so.
    const batch = events.map((event) => (event.id === undefined ? event : { ...event, id: event.id.toLowerCase() }));
    const appended = this.perStream.run(streamId, () => this.appendOp({ streamId, events: batch, expectedRevision }));
    this.inFlight.add(appended);
    const forget = () => this.inFlight.delete(appended);
    appended.then(forget, forget);
    const result = await appended;
    const last = result.events[result.events.length - 1];
    if (last && !result.duplicate) this.live.signal.advance(last.position);
    return result;
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readStreamOp(streamId, options);
  }

  async readAll(options?: ReadAllOptions): Promise<ReadAllPage> {
    this.assertOpen();
    return this.readAllOp(options);
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.headPositionOp();
  }

  subscribe(handler: EventHandler, options?: SubscribeOptions): Subscription {
    return this.subscriptions.start(handler, options);
  }

  /** Lets the appends in flight finish, ends the subscriptions, then disconnects. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.accepting = false;
    await Promise.allSettled([...this.inFlight]);
    await this.subscriptions.stopAll();
    await this.live.close();
    this.closed = true;
    await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
  }
}
