/**
 * Opaque page cursors: the sort key of the last item returned (value of the sort field, then
 * id), tagged with the sort it belongs to so that a cursor is never applied to another order.
 */
import type { IndexValue } from './collection';
import { isIndexValue } from './collection';
import { ReadStoreValidationError } from './errors';

export type SortDirection = 'asc' | 'desc';

export interface CursorPosition {
  value: IndexValue;
  id: string;
}

const VERSION = 1;

export function encodeCursor(field: string, direction: SortDirection, position: CursorPosition): string {
  return Buffer.from(JSON.stringify([VERSION, field, direction, position.value, position.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, field: string, direction: SortDirection): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ReadStoreValidationError('not a cursor returned by this query', 'after');
  }
  if (!Array.isArray(parsed) || parsed.length !== 5 || parsed[0] !== VERSION) {
    throw new ReadStoreValidationError('not a cursor returned by this query', 'after');
  }
  const [, cursorField, cursorDirection, value, id] = parsed as unknown[];
  if (cursorField !== field || cursorDirection !== direction) {
    throw new ReadStoreValidationError(`the cursor belongs to another sort (${String(cursorField)} ${String(cursorDirection)})`, 'after');
  }
  if (!isIndexValue(value) || typeof id !== 'string') {
    throw new ReadStoreValidationError('not a cursor returned by this query', 'after');
  }
  return { value, id };
}
