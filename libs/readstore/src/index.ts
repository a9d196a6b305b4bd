export {
  defineCollection,
  type CollectionDefinition,
  type CollectionSpec,
  type IndexValue,
  type ReadDocument,
  type Stored,
} from './collection';
export { GenerationConflictError, ReadStoreUnavailableError, ReadStoreValidationError } from './errors';
export { type ProjectionGenerations } from './generations';
export {
  DEFAULT_LIMIT,
  MAX_LIMIT,
  type Condition,
  type FindQuery,
  type FindResult,
  type RangeSpec,
  type SortDirection,
  type SortSpec,
  type Where,
} from './query';
export {
  ReadStore,
  type ApplyOptions,
  type ApplyResult,
  type ReadOptions,
  type SwitchResult,
  type WriteOptions,
} from './read-store';
export { deleteOp, patchOp, upsertOp, type Fields, type WriteOp } from './write-ops';
export { SqliteReadStore, type SqliteReadStoreOptions } from './sqlite/sqlite-read-store';
export { READ_MODELS_FILE, readModelsFile } from './sqlite/schema';
export { MongoReadStore, type MongoReadStoreOptions } from './mongodb/mongodb-read-store';
export { PostgresReadStore, type PostgresReadStoreOptions } from './postgres/postgres-read-store';
