import type { PhysicalCollection, ReadDocument, Stored } from '../collection';
import { DOCUMENT_COLUMNS, toDocument, type DocumentRow } from './rows';
import { quoted, type Tables } from './tables';

export function getDocument(tables: Tables, target: PhysicalCollection, id: string): Stored<ReadDocument> | null {
  const row = tables
    .statement<[string], DocumentRow>(target.name, `SELECT ${DOCUMENT_COLUMNS} FROM ${quoted(target.name)} WHERE id = ? AND doc IS NOT NULL`)
    .get(id);
  return row ? toDocument(row) : null;
}
