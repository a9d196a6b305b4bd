/**
 * Errors of the read store, as values with codes. `validation_failed` is what a bad cursor or
 * filter from an API client maps to (400); the rest are conflicts an admin action can run into.
 */

/** A query, cursor, document or name the port refuses before anything is read or written. */
export class ReadStoreValidationError extends Error {
  readonly code = 'validation_failed';
  constructor(
    message: string,
    /** Where in the request the problem is, e.g. `where.points` or `cursor`. */
    readonly path: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'ReadStoreValidationError';
  }
}

/** A generation operation that does not fit the projection's current generations. */
export class GenerationConflictError extends Error {
  readonly code = 'generation_conflict';
  constructor(
    readonly projection: string,
    message: string,
  ) {
    super(`projection ${projection}: ${message}`);
    this.name = 'GenerationConflictError';
  }
}

/** The store cannot serve the request right now (closed, backend down). */
export class ReadStoreUnavailableError extends Error {
  readonly code = 'unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'ReadStoreUnavailableError';
  }
}
