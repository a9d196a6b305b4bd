/**
 * Every failure, whatever raised it, becomes one response shape:
 * `{ "error": { "code", "message", "details" } }` with the status API.md assigns to the code.
 * Pure (no Nest request objects) so the mapping can be read and tested as a table.
 */
import { HttpException } from '@nestjs/common';
import { DomainError, ErrorCode } from '@trellis/domain';
import { StoreUnavailableError, WrongExpectedVersionError } from '@trellis/eventstore';

export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_transition: 409,
  guard_failed: 409,
  version_conflict: 409,
  idempotency_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_definition: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

// Fastify rejects some requests before any Nest code runs (while parsing the body); the Nest
// adapter hands those to the exception layer as an HttpException whose `cause` is the FastifyError.
const CODE_BY_FASTIFY_ERROR: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
};

const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/** Seconds a client should wait before retrying a 429 or 503. */
const DEFAULT_RETRY_AFTER = 1;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: Record<string, unknown> };
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** True for failures nobody anticipated: they are logged with their stack, never shown. */
  unexpected: boolean;
}

interface FastifyLikeError {
  code: string;
  statusCode: number;
  message: string;
}

const isFastifyError = (value: unknown): value is FastifyLikeError =>
  value instanceof Error && typeof (value as Partial<FastifyLikeError>).code === 'string' && (value as Partial<FastifyLikeError>).code!.startsWith('FST_') && typeof (value as Partial<FastifyLikeError>).statusCode === 'number';

export function toErrorResponse(exception: unknown): ErrorResponse {
  if (exception instanceof DomainError) return respond(exception.code, exception.message, exception.details);

  if (exception instanceof WrongExpectedVersionError) {
    return respond('version_conflict', exception.message, { streamId: exception.streamId, expected: exception.expected, actual: exception.actual });
  }
  if (exception instanceof StoreUnavailableError) return respond('unavailable', exception.message, {});

  if (exception instanceof HttpException) {
    const cause = exception.cause;
    if (isFastifyError(cause)) return fromFastifyError(cause);
    return fromStatus(exception.getStatus(), httpExceptionMessage(exception));
  }
  if (isFastifyError(exception)) return fromFastifyError(exception);

  return { ...respond('internal', 'internal error', {}), unexpected: true };
}

function fromFastifyError(error: FastifyLikeError): ErrorResponse {
  const code = CODE_BY_FASTIFY_ERROR[error.code];
  if (code) return respond(code, error.message, {});
  return fromStatus(error.statusCode, error.message);
}

function fromStatus(status: number, message: string): ErrorResponse {
  if (status >= 500) {
    return status === 503 ? respond('unavailable', message, {}) : { ...respond('internal', 'internal error', {}), unexpected: true };
  }
  // A 4xx with no code of its own is still the client's request that was wrong.
  const code = CODE_BY_STATUS[status] ?? 'validation_failed';
  const response = respond(code, message, {});
  return { ...response, status };
}

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

function respond(code: ErrorCode, message: string, details: Record<string, unknown>): ErrorResponse {
  const status = STATUS_BY_CODE[code];
  const headers: Record<string, string> = {};
  if (code === 'rate_limited' || code === 'unavailable') {
    const retryAfter = details.retryAfterSeconds;
    headers['retry-after'] = String(typeof retryAfter === 'number' && retryAfter > 0 ? Math.ceil(retryAfter) : DEFAULT_RETRY_AFTER);
  }
  if (code === 'unauthenticated') headers['www-authenticate'] = 'Bearer';
  return { status, body: { error: { code, message, details } }, headers, unexpected: false };
}
