/**
 * The MongoDB read store (official driver). Batches are transactions when the server supports
 * them (a replica set, or mongos), found out once with `hello` at connect; on a standalone
 * server they rely on the per-document position guard instead (see apply.ts).
 *
 * Reads cache which generation is active for `switchPropagationMs`, since every read would
 * otherwise cost one more round trip; writes and generation steps always read it afresh.
 */
import { MongoClient, type Db } from 'mongodb';
import type { PhysicalCollection, ReadDocument, Stored } from '../collection';
import { ReadStoreUnavailableError } from '../errors';
import type { ProjectionGenerations } from '../generations';
import type { FieldCondition, FindPlan } from '../query';
import { ReadStore, type ApplyResult, type CheckpointAdvance } from '../read-store';
import type { PlannedWrite } from '../write-ops';
import { applyBatch } from './apply';
import { CATALOG, Collections, ignoreCode } from './collections';
import { fromStored, LIVE } from './documents';
import { conditionsFilter, findFilter, findSort } from './filter';
import { MongoGenerations, PROJECTIONS } from './generations';
import { changedBy, deleteUnguarded, toModel } from './write';

export interface MongoReadStoreOptions {
  /** A mongodb:// or mongodb+srv:// connection string. */
  url: string;
  /** Default: the database named in the URL (or the driver's default). */
  dbName?: string;
  /** Default 1000 ms. */
  switchPropagationMs?: number;
}

const NAMESPACE_EXISTS = 48;

export class MongoReadStore extends ReadStore {
  readonly backend = 'mongodb';
  override readonly switchPropagationMs: number;
  private readonly collections: Collections;
  private readonly generationStore: MongoGenerations;
  private closed = false;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    readonly atomicBatches: boolean,
    switchPropagationMs: number,
  ) {
    super();
    this.switchPropagationMs = switchPropagationMs;
    this.collections = new Collections(db);
    this.generationStore = new MongoGenerations(db, this.collections);
  }

  static async connect(options: MongoReadStoreOptions): Promise<MongoReadStore> {
    const client = new MongoClient(options.url);
    await client.connect();
    try {
      const db = client.db(options.dbName);
      const hello = await db.admin().command({ hello: 1 });
      const transactions = typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
      // Created before any transaction could need them (creating inside one is restricted).
      await db.createCollection(PROJECTIONS).catch(ignoreCode(NAMESPACE_EXISTS));
      await db.collection(CATALOG).createIndex({ projection: 1, generation: 1 });
      return new MongoReadStore(client, db, transactions, options.switchPropagationMs ?? 1000);
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  /** The database (for tests and diagnostics). */
  get database(): Db {
    return this.db;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  protected async loadGenerations(projection: string): Promise<ProjectionGenerations | null> {
    this.assertOpen();
    return this.generationStore.load(projection);
  }

  protected async readDocument(target: PhysicalCollection, id: string): Promise<Stored<ReadDocument> | null> {
    const stored = await (await this.ready(target)).findOne({ _id: id, ...LIVE });
    return stored ? fromStored(stored) : null;
  }

  protected async findDocuments(target: PhysicalCollection, plan: FindPlan): Promise<Stored<ReadDocument>[]> {
    const collection = await this.ready(target);
    const stored = await collection.find(findFilter(plan), { sort: findSort(plan), limit: plan.fetch }).toArray();
    return stored.map(fromStored);
  }

  protected async countDocuments(target: PhysicalCollection, conditions: readonly FieldCondition[]): Promise<number> {
    return (await this.ready(target)).countDocuments(conditionsFilter(conditions));
  }

  protected async writeDocuments(writes: readonly PlannedWrite[]): Promise<number> {
    let changed = 0;
    for (const write of writes) {
      const collection = await this.ready(write.target);
      if (write.kind === 'delete' && write.position === null) {
        changed += await deleteUnguarded(collection, write.id);
      } else {
        changed += changedBy(write, await collection.bulkWrite([toModel(write)]));
      }
    }
    return changed;
  }

  protected async applyWrites(writes: readonly PlannedWrite[], advance: CheckpointAdvance): Promise<ApplyResult> {
    for (const write of writes) await this.ready(write.target);
    return applyBatch(this.client, this.db, this.atomicBatches, writes, advance);
  }

  protected async insertGeneration(projection: string, generation: number, current: ProjectionGenerations): Promise<void> {
    this.assertOpen();
    await this.generationStore.insert(projection, generation, current);
  }

  protected async activateGeneration(projection: string, generation: number, previous: number): Promise<void> {
    this.assertOpen();
    await this.generationStore.activate(projection, generation, previous);
  }

  protected async removeGeneration(projection: string, generation: number, current: ProjectionGenerations): Promise<void> {
    this.assertOpen();
    await this.generationStore.remove(projection, generation, current);
  }

  private async ready(target: PhysicalCollection) {
    this.assertOpen();
    await this.collections.ensure(target);
    return this.collections.collection(target);
  }

  private assertOpen(): void {
    if (this.closed) throw new ReadStoreUnavailableError('the read store is closed');
  }
}
