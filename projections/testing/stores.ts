/** Fresh SQLite stores in a temporary directory, for projection tests and benches. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, SqliteEventStore, type EventHandler, type Subscription, type SubscribeOptions } from '@trellis/eventstore';
import { SqliteReadStore, type CollectionDefinition, type ReadDocument, type ReadStore, type Stored } from '@trellis/readstore';
import type { Projection } from '@trellis/runtime/projections';

export interface TestStores {
  dir: string;
  events: SqliteEventStore;
  reads: SqliteReadStore;
  /** Another read store in the same directory, e.g. for a fresh fold to compare with. */
  openReadStore(name: string): SqliteReadStore;
  close(): Promise<void>;
}

export function openTestStores(prefix = 'trellis-projections-'): TestStores {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const events = SqliteEventStore.open({ file: join(dir, 'events.db'), synchronous: 'NORMAL' });
  const reads = SqliteReadStore.open({ file: join(dir, 'readmodels.db') });
  const extra: SqliteReadStore[] = [];
  return {
    dir,
    events,
    reads,
    openReadStore: (name) => {
      const store = SqliteReadStore.open({ file: join(dir, `${name}.db`) });
      extra.push(store);
      return store;
    },
    close: async () => {
      await events.close();
      await reads.close();
      for (const store of extra) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every document of every collection of the projection (active generation), in id order, `_position` included. */
export async function dumpReadModel(store: ReadStore, projection: Projection, options: { generation?: number } = {}): Promise<Record<string, Stored<ReadDocument>[]>> {
  const dump: Record<string, Stored<ReadDocument>[]> = {};
  for (const collection of projection.collections) dump[collection.name] = await allDocuments(store, collection, options);
  return dump;
}

async function allDocuments(store: ReadStore, collection: CollectionDefinition, options: { generation?: number }): Promise<Stored<ReadDocument>[]> {
  const documents: Stored<ReadDocument>[] = [];
  let after: string | null = null;
  do {
    const page: { items: Stored<ReadDocument>[]; nextCursor: string | null } = await store.find(collection, { limit: 1000, after }, options);
    documents.push(...page.items);
    after = page.nextCursor;
  } while (after);
  return documents;
}

/** An event store whose subscriptions deliver every event twice (at-least-once at its worst). */
export class DoublingEventStore extends EventStore {
  readonly backend: string;
  constructor(private readonly inner: EventStore) {
    super();
    this.backend = inner.backend;
  }
  append: EventStore['append'] = (...args) => this.inner.append(...args);
  readStream: EventStore['readStream'] = (...args) => this.inner.readStream(...args);
  readAll: EventStore['readAll'] = (...args) => this.inner.readAll(...args);
  headPosition: EventStore['headPosition'] = () => this.inner.headPosition();
  subscribe(handler: EventHandler, options?: SubscribeOptions): Subscription {
    return this.inner.subscribe(async (event) => {
      await handler(event);
      await handler(event);
    }, options);
  }
  close = () => this.inner.close();
}
