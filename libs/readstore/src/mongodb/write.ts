/**
 * Document writes as MongoDB bulk-write models. The position guard runs on the server, inside
 * the same single-document update: an update pipeline keeps `$$ROOT` unchanged unless the stored
 * `_position` is absent or older. Values are wrapped in `$literal` so that strings starting with
 * `$` stay strings.
 */
import type { AnyBulkWriteOperation, BulkWriteResult, Collection, Document } from 'mongodb';
import type { PlannedWrite } from '../write-ops';
import { asJson, LIVE, toStored, type StoredDocument } from './documents';

const guard = (position: number): Document => ({ $lt: [{ $ifNull: ['$_position', -1] }, position] });

const unlessStale = (position: number, replacement: Document): Document[] => [
  { $replaceWith: { $cond: [guard(position), replacement, '$$ROOT'] } },
];

/** The model for a write; an unguarded delete has none (see deleteUnguarded). */
export function toModel(write: PlannedWrite): AnyBulkWriteOperation<StoredDocument> {
  const { id, position } = write;
  switch (write.kind) {
    case 'upsert': {
      const stored = toStored(write.document, position);
      if (position === null) {
        const { _id, ...replacement } = stored;
        return { replaceOne: { filter: { _id: id }, replacement, upsert: true } };
      }
      return { updateOne: { filter: { _id: id }, update: unlessStale(position, { $literal: stored }), upsert: true } };
    }
    case 'patch': {
      const fields = asJson(write.fields);
      const filter = { _id: id, ...LIVE };
      if (position === null) {
        return { updateOne: { filter, update: [{ $replaceWith: { $mergeObjects: ['$$ROOT', { $literal: fields }] } }] } };
      }
      const merged = { $mergeObjects: ['$$ROOT', { $literal: { ...fields, _position: position } }] };
      return { updateOne: { filter, update: unlessStale(position, merged) } };
    }
    case 'delete': {
      if (position === null) throw new Error('an unguarded delete has no bulk model');
      // A tombstone keeps the position, so an older upsert replayed later stays skipped.
      const tombstone = { $literal: { _id: id, _deleted: true, _position: position } };
      return { updateOne: { filter: { _id: id }, update: unlessStale(position, tombstone), upsert: true } };
    }
  }
}

/** Documents a single model changed: a guarded write that was skipped modifies nothing. */
export function changedBy(write: PlannedWrite, result: BulkWriteResult): number {
  const touched = write.position === null ? result.matchedCount : result.modifiedCount;
  return touched + result.upsertedCount;
}

/** Removes the document or tombstone; counts only a live document as deleted. */
export async function deleteUnguarded(collection: Collection<StoredDocument>, id: string): Promise<number> {
  const removed = await collection.findOneAndDelete({ _id: id });
  return removed !== null && removed._deleted !== true ? 1 : 0;
}

/** The writes of a batch as one list of models per collection, built before anything is sent. */
export function groupModels(writes: readonly PlannedWrite[]): Map<string, AnyBulkWriteOperation<StoredDocument>[]> {
  const groups = new Map<string, AnyBulkWriteOperation<StoredDocument>[]>();
  for (const write of writes) {
    let models = groups.get(write.target.name);
    if (!models) groups.set(write.target.name, (models = []));
    models.push(toModel(write));
  }
  return groups;
}
