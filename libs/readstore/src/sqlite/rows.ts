import type { ReadDocument, Stored } from '../collection';

export const DOCUMENT_COLUMNS = 'id, doc, _position';

export interface DocumentRow {
  id: string;
  doc: string;
  _position: number | null;
}

export function toDocument(row: DocumentRow): Stored<ReadDocument> {
  const document = JSON.parse(row.doc) as ReadDocument & { _position?: number };
  if (row._position !== null) document._position = row._position;
  return document;
}
