/**
 * Collections of read-model documents, declared up front with the fields they are queried by.
 * A collection belongs to one projection; the store addresses it through that projection's
 * generation, so projection code never sees a physical name.
 */
import { ReadStoreValidationError } from './errors';

/** Every read-model document has a string id, unique in its collection. */
export interface ReadDocument {
  id: string;
}

/**
 * A document as the store returns it: `_position` is the global position of the last write
 * that carried one (see the idempotency rules on ReadStore), absent when no write did.
 */
export type Stored<T extends ReadDocument> = T & { readonly _position?: number };

/** What an indexed field may hold: a scalar of one type across the collection, or null/absent. */
export type IndexValue = string | number | boolean | null;

export interface CollectionDefinition<T extends ReadDocument = ReadDocument> {
  readonly projection: string;
  readonly name: string;
  /** Top-level fields that `where`, `sort` and `range` may use (`id` always may). */
  readonly indexes: readonly string[];
  /** Never set; carries the document type to the store's methods. */
  readonly __document?: T;
}

export interface CollectionSpec<T extends ReadDocument> {
  projection: string;
  name: string;
  indexes?: readonly (keyof T & string)[];
}

// Lower-case names with single underscores: `__` is kept for the generation suffix, and
// `_`-prefixed names for the store's own tables, so a declared name never collides with either.
const PROJECTION_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const COLLECTION_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
// Plain identifiers, so every backend can use them unquoted in paths and column names.
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const MAX_NAME_LENGTH = 64;

export function defineCollection<T extends ReadDocument>(spec: CollectionSpec<T>): CollectionDefinition<T> {
  assertProjectionName(spec.projection);
  if (!COLLECTION_NAME.test(spec.name) || spec.name.length > MAX_NAME_LENGTH) {
    throw new ReadStoreValidationError(
      `invalid collection name ${JSON.stringify(spec.name)} (lower-case letters and digits, single underscores)`,
      'collection.name',
    );
  }
  const indexes = [...(spec.indexes ?? [])];
  for (const field of indexes) {
    if (field === 'id') throw new ReadStoreValidationError('id is always indexed; do not declare it', 'collection.indexes');
    if (!FIELD_NAME.test(field) || field.length > MAX_NAME_LENGTH) {
      throw new ReadStoreValidationError(`invalid field name ${JSON.stringify(field)}`, 'collection.indexes');
    }
  }
  if (new Set(indexes).size !== indexes.length) {
    throw new ReadStoreValidationError('an index is declared twice', 'collection.indexes');
  }
  return Object.freeze({ projection: spec.projection, name: spec.name, indexes: Object.freeze(indexes) });
}

export function assertProjectionName(projection: string): void {
  if (typeof projection !== 'string' || !PROJECTION_NAME.test(projection) || projection.length > MAX_NAME_LENGTH) {
    throw new ReadStoreValidationError(
      `invalid projection name ${JSON.stringify(projection)} (lower-case letters and digits, single hyphens)`,
      'projection',
    );
  }
}

export function assertGeneration(generation: number, path = 'generation'): void {
  if (!Number.isSafeInteger(generation) || generation < 1) {
    throw new ReadStoreValidationError(`invalid generation ${String(generation)}`, path);
  }
}

export function isQueryable(collection: CollectionDefinition, field: string): boolean {
  return field === 'id' || collection.indexes.includes(field);
}

/** A collection of one generation, as adapters see it. */
export interface PhysicalCollection {
  readonly collection: CollectionDefinition;
  readonly generation: number;
  /** `<collection>__g<generation>`: the table / MongoDB collection name. */
  readonly name: string;
  /**
   * The generation is being filled by a rebuild. An adapter may then defer secondary indexes
   * until activateGeneration: loading first and indexing once is several times faster.
   */
  readonly building: boolean;
}

export function physicalCollection(collection: CollectionDefinition, generation: number, building = false): PhysicalCollection {
  return { collection, generation, name: `${collection.name}__g${generation}`, building };
}

export function isIndexValue(value: unknown): value is IndexValue {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/**
 * A document as read back: `_position` only when a guarded write recorded one. The document is
 * one just decoded from a row, so the field is set on it rather than on a copy.
 */
export function withPosition(document: ReadDocument, position: number | null): Stored<ReadDocument> {
  if (position !== null) (document as { _position?: number })._position = position;
  return document;
}
