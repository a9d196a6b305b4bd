import { withPosition, type ReadDocument, type Stored } from '../collection';

export const DOCUMENT_COLUMNS = 'id, doc, _position';

export interface DocumentRow {
  id: string;
  doc: string;
  _position: number | null;
}

export function toDocument(row: DocumentRow): Stored<ReadDocument> {
  return withPosition(JSON.parse(row.doc) as ReadDocument, row._position);
}
