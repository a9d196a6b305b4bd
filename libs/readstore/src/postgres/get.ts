import type { PhysicalCollection, ReadDocument, Stored } from '../collection';
import type { Queryable } from './connection';
import { encodeText } from './encoding';
import { DOCUMENT_COLUMNS, toDocument, type DocumentRow } from './rows';
import type { Tables } from './tables';

export async function getDocument(db: Queryable, tables: Tables, target: PhysicalCollection, id: string): Promise<Stored<ReadDocument> | null> {
  const { rows } = await db.query<DocumentRow>(
    `SELECT ${DOCUMENT_COLUMNS} FROM ${tables.table(target.name)} WHERE id = $1::text AND doc IS NOT NULL`,
    [encodeText(id)],
  );
  return rows.length > 0 ? toDocument(rows[0]) : null;
}
