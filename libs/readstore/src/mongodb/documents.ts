/**
 * Documents as MongoDB holds them: the id as `_id`, `_position` beside the fields, and a
 * tombstone as `{ _id, _deleted: true, _position }`. Values go through a JSON round trip first,
 * so MongoDB stores exactly what the SQLite adapter would (dates as strings, undefined dropped)
 * and a value JSON cannot encode fails here, before anything is written.
 */
import type { ReadDocument, Stored } from '../collection';

/** A stored document or tombstone; ids are strings, never ObjectIds. */
export interface StoredDocument {
  _id: string;
  [field: string]: unknown;
}

export const LIVE = { _deleted: { $ne: true } };

export function asJson(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/** The stored body of a document (`document` carries its `id`). */
export function toStored(document: Record<string, unknown>, position: number | null): StoredDocument {
  const { id, ...fields } = asJson(document) as { id: string };
  return position === null ? { _id: id, ...fields } : { _id: id, ...fields, _position: position };
}

export function fromStored(stored: StoredDocument): Stored<ReadDocument> {
  const { _id, _deleted, ...fields } = stored;
  return { id: _id, ...fields } as Stored<ReadDocument>;
}
