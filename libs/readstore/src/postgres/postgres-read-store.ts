/**
 * The PostgreSQL read store, for deployments where several server and worker processes share
 * the read models (DATABASE_URL selects it together with the PostgreSQL event store). It
 * composes the per-operation files; a batch is one transaction, so batches are atomic.
 *
 * Unlike the SQLite store nothing is decided in memory: other processes write too, so every
 * write and generation step re-checks the generations in the database, and reads ask which
 * generation is active each time (switchPropagationMs stays 0: a switch is seen at once).
 */
import type { Pool } from 'pg';
import type { PhysicalCollection, ReadDocument, Stored } from '../collection';
import { ReadStoreUnavailableError } from '../errors';
import type { ProjectionGenerations } from '../generations';
import type { FieldCondition, FindPlan } from '../query';
import { ReadStore, type ApplyResult, type CheckpointAdvance } from '../read-store';
import type { PlannedWrite } from '../write-ops';
import { applyBatch } from './apply';
import { createPool, transaction } from './connection';
import { countDocuments } from './count';
import { findDocuments } from './find';
import { PostgresGenerations } from './generations';
import { getDocument } from './get';
import { layoutOf, migrate, type ReadLayout } from './schema';
import { Tables } from './tables';
import { runStatements, writeStatements } from './write';

export interface PostgresReadStoreOptions {
  /** postgres://user:password@host:port/database */
  connectionString: string;
  /** The schema holding the read models, created if missing. Default: 'trellis_read'. */
  schema?: string;
  /** Pooled connections. Default 10. */
  maxConnections?: number;
  /**
   * Wait for the WAL flush at each commit. Default false: read models can always be rebuilt
   * from the event log and every batch commits its documents together with its checkpoint, so
   * a crash may lose the last batches but then loses their checkpoint too, and the projection
   * simply applies those events again (the SQLite store's synchronous=NORMAL, for the same
   * reason). Generation steps are always durable.
   */
  synchronousCommit?: boolean;
}

export class PostgresReadStore extends ReadStore {
  readonly backend = 'postgres';
  readonly atomicBatches = true;
  private readonly tables: Tables;
  private readonly generationOps: PostgresGenerations;
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly pool: Pool,
    readonly layout: ReadLayout,
  ) {
    super();
    this.tables = new Tables(pool, layout);
    this.generationOps = new PostgresGenerations(pool, layout, this.tables);
  }

  /** Connects, and creates the schema and the store's tables if missing. */
  static async open(options: PostgresReadStoreOptions): Promise<PostgresReadStore> {
    const pool = createPool({
      connectionString: options.connectionString,
      maxConnections: options.maxConnections ?? 10,
      synchronousCommit: options.synchronousCommit ?? false,
    });
    try {
      const layout = layoutOf(options.schema ?? 'trellis_read');
      const client = await pool.connect();
      try {
        await migrate(client, layout);
      } finally {
        client.release();
      }
      return new PostgresReadStore(pool, layout);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  /** Safe to call twice. */
  close(): Promise<void> {
    this.closed = true;
    this.closing ??= this.pool.end();
    return this.closing;
  }

  protected async loadGenerations(projection: string): Promise<ProjectionGenerations | null> {
    this.assertOpen();
    return this.generationOps.load(projection);
  }

  protected async readDocument(target: PhysicalCollection, id: string): Promise<Stored<ReadDocument> | null> {
    await this.ready(target);
    return getDocument(this.pool, this.tables, target, id);
  }

  protected async findDocuments(target: PhysicalCollection, plan: FindPlan): Promise<Stored<ReadDocument>[]> {
    await this.ready(target);
    return findDocuments(this.pool, this.tables, target, plan);
  }

  protected async countDocuments(target: PhysicalCollection, conditions: readonly FieldCondition[]): Promise<number> {
    await this.ready(target);
    return countDocuments(this.pool, this.tables, target, conditions);
  }

  protected async writeDocuments(writes: readonly PlannedWrite[]): Promise<number> {
    for (const write of writes) await this.ready(write.target);
    const statements = writeStatements(this.tables, writes);
    if (statements.length === 1) return runStatements(this.pool, statements);
    return transaction(this.pool, (client) => runStatements(client, statements));
  }

  protected async applyWrites(writes: readonly PlannedWrite[], advance: CheckpointAdvance): Promise<ApplyResult> {
    // Tables are created and statements built before the batch's transaction, which then holds
    // only the writes.
    for (const write of writes) await this.ready(write.target);
    const statements = writeStatements(this.tables, writes);
    // So that even a projection's first batches have a generation row to lock.
    if (advance.generation === 1) await this.generationOps.seed(advance.projection);
    return applyBatch(this.pool, this.layout, statements, advance);
  }

  protected async insertGeneration(projection: string, generation: number, current: ProjectionGenerations): Promise<void> {
    this.assertOpen();
    await this.generationOps.insert(projection, generation, current);
  }

  protected async activateGeneration(projection: string, generation: number, previous: number): Promise<void> {
    this.assertOpen();
    await this.generationOps.activate(projection, generation, previous);
  }

  protected async removeGeneration(projection: string, generation: number): Promise<void> {
    this.assertOpen();
    await this.generationOps.remove(projection, generation);
  }

  private async ready(target: PhysicalCollection): Promise<void> {
    this.assertOpen();
    await this.tables.ensure(target);
  }

  private assertOpen(): void {
    if (this.closed) throw new ReadStoreUnavailableError('the read store is closed');
  }
}
