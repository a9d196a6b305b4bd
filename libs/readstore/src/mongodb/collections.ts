/**
 * Physical collections: created with an index on (field, _id) per declared field — the key of
 * keyset pagination — and recorded in `_readstore_collections`, so that dropping a generation
 * finds all of them and a name cannot be claimed by two projections.
 */
import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { StoredDocument } from './documents';
import { assertCollectionOwner, EnsuredCollections } from '../catalog';
import type { PhysicalCollection } from '../collection';

export interface CatalogEntry {
  _id: string;
  projection: string;
  collection: string;
  generation: number;
}

export const CATALOG = '_readstore_collections';
const NAMESPACE_EXISTS = 48;
export const NAMESPACE_NOT_FOUND = 26;
const DUPLICATE_KEY = 11000;

export class Collections {
  private readonly ready = new EnsuredCollections();
  readonly catalog: Collection<CatalogEntry>;

  constructor(private readonly db: Db) {
    this.catalog = db.collection<CatalogEntry>(CATALOG);
  }

  collection(target: PhysicalCollection): Collection<StoredDocument> {
    return this.db.collection<StoredDocument>(target.name);
  }

  /** Creates the collection and its indexes on first use by this process. */
  async ensure(target: PhysicalCollection): Promise<void> {
    const { indexes } = target.collection;
    if (this.ready.has(target)) return;
    assertCollectionOwner(target.collection, await this.claim(target));
    // Created up front (not implicitly by a first write) because batches may run in a transaction.
    await this.db.createCollection(target.name).catch(ignoreCode(NAMESPACE_EXISTS));
    if (indexes.length > 0) {
      await this.collection(target).createIndexes(indexes.map((field) => ({ key: { [field]: 1, _id: 1 }, name: `f_${field}` })));
    }
    this.ready.add(target);
  }

  async drop(names: readonly string[]): Promise<void> {
    for (const name of names) await this.db.collection(name).drop().catch(ignoreCode(NAMESPACE_NOT_FOUND));
    this.ready.forget(names);
  }

  private async claim(target: PhysicalCollection): Promise<string> {
    const entry: Omit<CatalogEntry, '_id'> = {
      projection: target.collection.projection,
      collection: target.collection.name,
      generation: target.generation,
    };
    try {
      const owner = await this.catalog.findOneAndUpdate({ _id: target.name }, { $setOnInsert: entry }, { upsert: true, returnDocument: 'after' });
      return owner?.projection ?? entry.projection;
    } catch (error) {
      // Two processes upserting the same entry at once: one insert wins, the other reads it.
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      return (await this.catalog.findOne({ _id: target.name }))?.projection ?? entry.projection;
    }
  }
}

export function ignoreCode(code: number): (error: unknown) => void {
  return (error) => {
    if (!(error instanceof MongoServerError && error.code === code)) throw error;
  };
}
