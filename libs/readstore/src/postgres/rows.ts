import { withPosition, type ReadDocument, type Stored } from '../collection';

export const DOCUMENT_COLUMNS = 'doc, position';

/** `doc` arrives decoded (see connection.ts); a live row's doc is never NULL. */
export interface DocumentRow {
  doc: ReadDocument;
  position: number | null;
}

export function toDocument(row: DocumentRow): Stored<ReadDocument> {
  return withPosition(row.doc, row.position);
}
