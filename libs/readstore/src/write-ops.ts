/**
 * Document writes: the operations a projection hands to applyBatch, their validation, and the
 * coalescing of several writes to one document into one, which is what lets every adapter apply
 * a batch's writes in any order (and MongoDB's unordered bulk writes be used at all).
 */
import { isIndexValue, type CollectionDefinition, type PhysicalCollection, type ReadDocument } from './collection';
import { ReadStoreValidationError } from './errors';

export type Fields<T extends ReadDocument> = Partial<Omit<T, 'id'>> & { id?: string };

export type WriteOp =
  | { readonly type: 'upsert'; readonly collection: CollectionDefinition; readonly document: ReadDocument; readonly position?: number }
  | {
      readonly type: 'patch';
      readonly collection: CollectionDefinition;
      readonly id: string;
      readonly fields: Record<string, unknown>;
      readonly position?: number;
    }
  | { readonly type: 'delete'; readonly collection: CollectionDefinition; readonly id: string; readonly position?: number };

/** Replace the whole document (creating it if missing). */
export function upsertOp<T extends ReadDocument>(collection: CollectionDefinition<T>, document: T, position?: number): WriteOp {
  return { type: 'upsert', collection: collection as CollectionDefinition, document, position };
}

/** Set the given top-level fields of an existing document; a missing document stays missing. */
export function patchOp<T extends ReadDocument>(
  collection: CollectionDefinition<T>,
  id: string,
  fields: Fields<T>,
  position?: number,
): WriteOp {
  return { type: 'patch', collection: collection as CollectionDefinition, id, fields: fields as Record<string, unknown>, position };
}

export function deleteOp<T extends ReadDocument>(collection: CollectionDefinition<T>, id: string, position?: number): WriteOp {
  return { type: 'delete', collection: collection as CollectionDefinition, id, position };
}

/**
 * A validated write, addressed to a physical collection. `position` null means unguarded: the
 * write always applies (an unguarded upsert or delete also forgets the recorded position).
 */
export type PlannedWrite =
  | { readonly kind: 'upsert'; readonly target: PhysicalCollection; readonly id: string; readonly document: Record<string, unknown>; readonly position: number | null }
  | { readonly kind: 'patch'; readonly target: PhysicalCollection; readonly id: string; readonly fields: Record<string, unknown>; readonly position: number | null }
  | { readonly kind: 'delete'; readonly target: PhysicalCollection; readonly id: string; readonly position: number | null };

const MAX_ID_LENGTH = 512;

/**
 * Validates one op and addresses it to `target` (its collection's physical collection);
 * `position` is the default for the op's own. A document that needs no change is planned as
 * is, not copied: a batch plans every write it folds away too.
 */
export function planWrite(op: WriteOp, target: PhysicalCollection, position: number | null, path: string): PlannedWrite {
  const at = op.position ?? position;
  if (at !== null && !isPosition(at)) throw invalidPosition(at, `${path}.position`);
  switch (op.type) {
    case 'upsert': {
      const document = documentFields(op.collection, op.document, `${path}.document`);
      const id = (op.document as { id?: unknown }).id;
      if (!isId(id)) throw invalidId(`${path}.document.id`);
      return { kind: 'upsert', target, id, document, position: at };
    }
    case 'patch': {
      if (!isId(op.id)) throw invalidId(`${path}.id`);
      const fields = documentFields(op.collection, op.fields, `${path}.fields`);
      if (!('id' in fields)) return { kind: 'patch', target, id: op.id, fields, position: at };
      if (fields.id !== op.id) throw new ReadStoreValidationError('a patch cannot change the id', `${path}.fields.id`);
      const { id: _ignored, ...rest } = fields;
      return { kind: 'patch', target, id: op.id, fields: rest, position: at };
    }
    case 'delete':
      if (!isId(op.id)) throw invalidId(`${path}.id`);
      return { kind: 'delete', target, id: op.id, position: at };
    default:
      throw new ReadStoreValidationError(`unknown write type ${JSON.stringify((op as { type?: unknown }).type)}`, `${path}.type`);
  }
}

/**
 * Folds the writes to each document into one, in order: a later upsert or delete wins, a patch
 * merges into what precedes it (and is dropped after a delete, as it would find no document).
 * The result carries the latest position of the writes it folds.
 */
export function coalesce(writes: readonly PlannedWrite[]): PlannedWrite[] {
  const byDocument = new Map<string, PlannedWrite>();
  for (const write of writes) {
    const key = `${write.target.name}\u0000${write.id}`;
    const previous = byDocument.get(key);
    byDocument.set(key, previous === undefined ? write : fold(previous, write));
  }
  return [...byDocument.values()];
}

function fold(previous: PlannedWrite, next: PlannedWrite): PlannedWrite {
  const position = previous.position === null || next.position === null ? next.position : Math.max(previous.position, next.position);
  if (next.kind !== 'patch') return { ...next, position };
  switch (previous.kind) {
    case 'upsert':
      return { ...previous, document: { ...previous.document, ...next.fields }, position };
    case 'patch':
      return { ...previous, fields: { ...previous.fields, ...next.fields }, position };
    case 'delete':
      return { ...previous, position };
  }
}

export function assertPosition(position: number, path: string): void {
  if (!isPosition(position)) throw invalidPosition(position, path);
}

const isPosition = (position: number) => Number.isSafeInteger(position) && position >= 1;

const invalidPosition = (position: number, path: string) =>
  new ReadStoreValidationError(`invalid position ${String(position)} (a global position is an integer from 1)`, path);

const isId = (id: unknown): id is string => typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH;

const invalidId = (path: string) => new ReadStoreValidationError(`an id is a non-empty string of at most ${MAX_ID_LENGTH} characters`, path);

/**
 * The document's top-level fields as they will be stored: `_position` is dropped (the store
 * keeps it, so a document read and written back is accepted), undefined members are dropped (as
 * JSON does), other `_` and `$` names are refused (they are the backends' own), and indexed
 * fields must hold scalars. The value itself when nothing is dropped.
 */
function documentFields(collection: CollectionDefinition, value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ReadStoreValidationError('must be a JSON object', path);
  }
  const document = value as Record<string, unknown>;
  let dropped = false;
  for (const name of Object.keys(document)) {
    const field = document[name];
    if (field === undefined || name === '_position') {
      dropped = true;
      continue;
    }
    if (name.startsWith('_') || name.startsWith('$')) {
      throw new ReadStoreValidationError('top-level names starting with _ or $ are reserved for the store', `${path}.${name}`);
    }
    if (collection.indexes.includes(name) && !isIndexValue(field)) {
      throw new ReadStoreValidationError('an indexed field holds a string, a finite number, a boolean or null', `${path}.${name}`);
    }
  }
  if (!dropped) return document;
  const fields: Record<string, unknown> = {};
  for (const name of Object.keys(document)) {
    if (document[name] !== undefined && name !== '_position') fields[name] = document[name];
  }
  return fields;
}
