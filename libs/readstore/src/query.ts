/**
 * Queries: equality (or a list of values) on declared fields, one sort field with the id as
 * tie-break, an optional range on the sort field, keyset pagination. Validated here once and
 * handed to adapters as a FindPlan they only translate.
 *
 * Ordering rules every adapter follows: null and absent values are equal and sort before every
 * other value (so they come first ascending, last descending); ids compare as strings. Values of
 * one field are expected to share one type; strings compare by their UTF-8 bytes.
 */
import { isIndexValue, isQueryable, type CollectionDefinition, type IndexValue, type ReadDocument } from './collection';
import { decodeCursor, type CursorPosition, type SortDirection } from './cursor';
import { ReadStoreValidationError } from './errors';

export type { SortDirection } from './cursor';

export type Condition = IndexValue | { readonly in: readonly IndexValue[] };

export type Where<T extends ReadDocument = ReadDocument> = { readonly [K in keyof T & string]?: Condition };

export interface SortSpec<T extends ReadDocument = ReadDocument> {
  field: keyof T & string;
  direction?: SortDirection;
}

/** Bounds on the sort field: `gte` inclusive, `lt` exclusive. Documents with null never match. */
export interface RangeSpec {
  gte?: IndexValue;
  lt?: IndexValue;
}

export interface FindQuery<T extends ReadDocument = ReadDocument> {
  where?: Where<T>;
  /** Default: by id, ascending. */
  sort?: SortSpec<T>;
  range?: RangeSpec;
  /** Page size; default 100, at most 1000. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  after?: string | null;
}

export interface FindResult<T extends ReadDocument = ReadDocument> {
  items: T[];
  /** Null when this page is the last. */
  nextCursor: string | null;
}

export type FieldCondition =
  | { readonly field: string; readonly equals: IndexValue }
  | { readonly field: string; readonly in: readonly IndexValue[] };

export interface FindPlan {
  readonly conditions: readonly FieldCondition[];
  readonly sort: { readonly field: string; readonly direction: SortDirection };
  readonly range: { readonly gte?: Exclude<IndexValue, null>; readonly lt?: Exclude<IndexValue, null> } | null;
  readonly after: CursorPosition | null;
  /** Rows to read: one more than the page size, which tells whether another page follows. */
  readonly fetch: number;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
const MAX_IN_VALUES = 1000;

export function planConditions(collection: CollectionDefinition, where: Where | undefined): FieldCondition[] {
  if (where === undefined) return [];
  if (where === null || typeof where !== 'object' || Array.isArray(where)) {
    throw new ReadStoreValidationError('must be an object of field conditions', 'where');
  }
  const conditions: FieldCondition[] = [];
  for (const [field, condition] of Object.entries(where as Record<string, Condition | undefined>)) {
    if (condition === undefined) continue;
    const path = `where.${field}`;
    assertQueryable(collection, field, path);
    if (isIndexValue(condition)) {
      assertIdValue(field, condition, path);
      conditions.push({ field, equals: condition });
      continue;
    }
    const values = (condition as { in?: unknown }).in;
    if (typeof condition !== 'object' || !Array.isArray(values) || Object.keys(condition).length !== 1) {
      throw new ReadStoreValidationError('must be a string, number, boolean, null or { in: [...] }', path);
    }
    if (values.length > MAX_IN_VALUES) throw new ReadStoreValidationError(`at most ${MAX_IN_VALUES} values`, path);
    for (const value of values) {
      if (!isIndexValue(value)) throw new ReadStoreValidationError('list values must be strings, numbers, booleans or null', path);
      assertIdValue(field, value, path);
    }
    conditions.push({ field, in: [...new Set(values as IndexValue[])] });
  }
  return conditions;
}

export function planFind(collection: CollectionDefinition, query: FindQuery = {}): FindPlan {
  const conditions = planConditions(collection, query.where as Where | undefined);

  const field = query.sort?.field ?? 'id';
  const direction = query.sort?.direction ?? 'asc';
  assertQueryable(collection, field, 'sort.field');
  if (direction !== 'asc' && direction !== 'desc') throw new ReadStoreValidationError('must be asc or desc', 'sort.direction');

  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new ReadStoreValidationError(`must be an integer from 1 to ${MAX_LIMIT}`, 'limit');
  }

  let range: FindPlan['range'] = null;
  if (query.range !== undefined) {
    const { gte, lt, ...rest } = query.range;
    if (Object.keys(rest).length > 0) throw new ReadStoreValidationError('only gte and lt are supported', 'range');
    for (const [bound, value] of [['gte', gte], ['lt', lt]] as const) {
      if (value !== undefined && (value === null || !isIndexValue(value))) {
        throw new ReadStoreValidationError('must be a string, number or boolean', `range.${bound}`);
      }
    }
    range = { ...(gte != null && { gte }), ...(lt != null && { lt }) };
  }

  const after = query.after == null ? null : decodeCursor(query.after, field, direction);
  return { conditions, sort: { field, direction }, range, after, fetch: limit + 1 };
}

/** The value a document sorts by, for the cursor after it. */
export function sortValueOf(document: ReadDocument, field: string): IndexValue {
  const value = (document as unknown as Record<string, unknown>)[field];
  return isIndexValue(value) ? value : null;
}

function assertQueryable(collection: CollectionDefinition, field: string, path: string): void {
  if (!isQueryable(collection, field)) {
    throw new ReadStoreValidationError(
      `${field} is not an indexed field of ${collection.name} (indexed: id${collection.indexes.map((f) => `, ${f}`).join('')})`,
      path,
    );
  }
}

function assertIdValue(field: string, value: IndexValue, path: string): void {
  if (field === 'id' && typeof value !== 'string') throw new ReadStoreValidationError('ids are strings', path);
}
