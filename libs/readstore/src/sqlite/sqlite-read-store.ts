/**
 * The embedded read store: one SQLite file (by default `<dataDir>/readmodels.db`), next to the
 * event store's. It composes the per-operation files; every primitive is synchronous, so a
 * batch is one transaction and nothing interleaves with it inside this process.
 */
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { PhysicalCollection, ReadDocument, Stored } from '../collection';
import { ReadStoreUnavailableError } from '../errors';
import type { ProjectionGenerations } from '../generations';
import type { FieldCondition, FindPlan } from '../query';
import { ReadStore, type ApplyResult, type CheckpointAdvance } from '../read-store';
import type { PlannedWrite } from '../write-ops';
import { prepareApply, type ApplyOperation } from './apply';
import { BackgroundCheckpointer } from './background-checkpoint';
import { countDocuments } from './count';
import { findDocuments } from './find';
import { prepareGenerations, type GenerationOperations } from './generations';
import { currentBootId, guardUnsyncedFile, type BootGuard } from './boot-guard';
import { getDocument } from './get';
import { automaticCheckpoints, openDatabase, type SqliteSynchronous } from './schema';
import { Tables, type IndexColumns } from './tables';
import { prepareWrite, type WriteOperation } from './write';

export interface SqliteReadStoreOptions {
  /** Path of the database file (its directory is created if missing), or ':memory:'. */
  file: string;
  /**
   * Default for a file: OFF, guarded against the machine going down while it is open (see
   * boot-guard.ts), where the OS names its boot (Linux); NORMAL elsewhere and for ':memory:'.
   */
  synchronous?: SqliteSynchronous;
  /**
   * The kind of field columns of the tables it creates: 'ordinary' (the default), which writes
   * fill, or 'generated', the virtual columns SQLite computes from the document, as versions
   * before ordinary columns created them (slower to index; kept for the tests of such files,
   * and for a file that such a version must write to again). Existing tables keep their kind.
   */
  indexColumns?: IndexColumns;
}

export class SqliteReadStore extends ReadStore {
  readonly backend = 'sqlite';
  readonly atomicBatches = true;
  private readonly tables: Tables;
  private readonly write: WriteOperation;
  private readonly apply: ApplyOperation;
  private readonly generationOps: GenerationOperations;
  /** For a file without flushes (synchronous=OFF): checkpoints off this thread. */
  private readonly checkpointer: BackgroundCheckpointer | undefined;

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
    indexColumns: IndexColumns,
    synchronous: SqliteSynchronous,
    private readonly guard?: BootGuard,
  ) {
    super();
    this.tables = new Tables(db, indexColumns);
    this.write = prepareWrite(this.tables);
    this.apply = prepareApply(db, this.write);
    this.generationOps = prepareGenerations(db, this.tables);
    if (synchronous === 'OFF' && file !== ':memory:') {
      automaticCheckpoints(db, false);
      // If the worker fails, SQLite checkpoints inside commits again, as it does by default.
      this.checkpointer = new BackgroundCheckpointer(resolve(file), undefined, () => {
        if (db.open) automaticCheckpoints(db, true);
        void this.checkpointer?.close();
      });
    }
  }

  static open(options: SqliteReadStoreOptions): SqliteReadStore {
    const { file } = options;
    const bootId = file === ':memory:' ? undefined : currentBootId();
    const synchronous = options.synchronous ?? (bootId === undefined ? 'NORMAL' : 'OFF');
    const guard = synchronous === 'OFF' && bootId !== undefined ? guardUnsyncedFile(file, bootId) : undefined;
    let db: Database.Database;
    try {
      db = openDatabase(file, synchronous);
    } catch (error) {
      guard?.release();
      throw error;
    }
    return new SqliteReadStore(db, file, options.indexColumns ?? 'ordinary', synchronous, guard);
  }

  /** The file was left open by an earlier boot of the machine and was deleted on open, to be rebuilt. */
  get discardedAfterRestart(): boolean {
    return this.guard?.discarded ?? false;
  }

  /** The underlying connection (for tests and diagnostics). */
  get database(): Database.Database {
    return this.db;
  }

  /** Copies the WAL back into the file now, on the worker (for tests; undefined without a worker). */
  async checkpointNow() {
    return this.checkpointer?.checkpointNow();
  }

  async close(): Promise<void> {
    // The worker's connection first: the last connection to close copies the WAL back and
    // removes it, and the guard's release then flushes the file.
    await this.checkpointer?.close();
    if (this.db.open) this.db.close();
    this.guard?.release();
  }

  protected async loadGenerations(projection: string): Promise<ProjectionGenerations | null> {
    this.assertOpen();
    return this.generationOps.load(projection);
  }

  protected async readDocument(target: PhysicalCollection, id: string): Promise<Stored<ReadDocument> | null> {
    this.ready(target);
    return getDocument(this.tables, target, id);
  }

  protected async findDocuments(target: PhysicalCollection, plan: FindPlan): Promise<Stored<ReadDocument>[]> {
    this.ready(target);
    return findDocuments(this.tables, target, plan);
  }

  protected async countDocuments(target: PhysicalCollection, conditions: readonly FieldCondition[]): Promise<number> {
    this.ready(target);
    return countDocuments(this.tables, target, conditions);
  }

  protected async writeDocuments(writes: readonly PlannedWrite[]): Promise<number> {
    for (const write of writes) this.ready(write.target);
    const changed = this.db.transaction(() => writes.reduce((count, write) => count + this.write(write), 0)).immediate();
    this.checkpointer?.committed();
    return changed;
  }

  protected async applyWrites(writes: readonly PlannedWrite[], advance: CheckpointAdvance): Promise<ApplyResult> {
    // Tables are created before the batch's transaction, which then holds only the writes (the
    // writes of a batch share one target per collection).
    for (const target of new Set(writes.map((write) => write.target))) this.ready(target);
    const result = this.apply(writes, advance);
    this.checkpointer?.committed();
    return result;
  }

  protected async insertGeneration(projection: string, generation: number, current: ProjectionGenerations): Promise<void> {
    this.assertOpen();
    this.generationOps.insert(projection, generation, current);
  }

  protected async activateGeneration(projection: string, generation: number, previous: number): Promise<void> {
    this.assertOpen();
    await this.generationOps.activate(projection, generation, previous);
  }

  protected async removeGeneration(projection: string, generation: number): Promise<void> {
    this.assertOpen();
    this.generationOps.remove(projection, generation);
  }

  private ready(target: PhysicalCollection): void {
    this.assertOpen();
    this.tables.ensure(target);
  }

  private assertOpen(): void {
    if (!this.db.open) throw new ReadStoreUnavailableError('the read store is closed');
  }
}
