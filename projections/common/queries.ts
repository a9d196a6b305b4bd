/** What the query services share: the client's mistakes as API errors, pages, documents without store fields. */
import { DomainError } from '@trellis/domain';
import { DEFAULT_LIMIT, MAX_LIMIT, ReadStoreValidationError, type ReadDocument, type Stored } from '@trellis/readstore';

export interface PageRequest {
  /** The `nextCursor` of the previous page. */
  after?: string | null;
  limit?: number;
}

export interface Page<T> {
  items: T[];
  /** Null when this page is the last. */
  nextCursor: string | null;
}

export function validationFailed(path: string, message: string): DomainError {
  return new DomainError('validation_failed', `${path}: ${message}`, { violations: [{ path, message }] });
}

/** A cursor or filter the read store refuses is the client's mistake (400), said in the API's terms. */
export async function clientQuery<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ReadStoreValidationError) throw validationFailed(error.path, error.message.replace(`${error.path}: `, ''));
    throw error;
  }
}

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw validationFailed('limit', `must be a whole number from 1 to ${MAX_LIMIT}`);
  return limit;
}

/** An ISO 8601 time in the one form the read models store (UTC, milliseconds), or a 400 naming `path`. */
export function isoTime(value: string, path: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw validationFailed(path, 'must be an ISO 8601 date-time');
  return new Date(time).toISOString();
}

export function withoutStoreFields<T extends ReadDocument>(doc: Stored<T>): T {
  const { _position: _ignored, ...rest } = doc;
  return rest as T;
}

/** The filter's given fields (an absent query parameter filters nothing). */
export function definedOnly<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
