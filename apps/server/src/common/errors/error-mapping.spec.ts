import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { errorCodes } from 'fastify';
import { DomainError, ErrorCode } from '@trellis/domain';
import { StoreUnavailableError, WrongExpectedVersionError } from '@trellis/eventstore';
import { STATUS_BY_CODE, toErrorResponse } from './error-mapping';

// What @nestjs/platform-fastify hands the exception layer for an error Fastify raised itself.
const asNestSeesIt = (error: Error & { statusCode?: number }) => new HttpException(error.message, error.statusCode ?? 500, { cause: error });

describe('toErrorResponse', () => {
  it.each(Object.entries(STATUS_BY_CODE))('maps DomainError %s to %i', (code, status) => {
    const response = toErrorResponse(new DomainError(code as ErrorCode, 'msg', { a: 1 }));
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ error: { code, message: 'msg', details: { a: 1 } } });
  });

  it('asks for a retry after a 429 or 503', () => {
    expect(toErrorResponse(new DomainError('rate_limited', 'slow down', { retryAfterSeconds: 2.5 })).headers['retry-after']).toBe('3');
    expect(toErrorResponse(new DomainError('unavailable', 'down')).headers['retry-after']).toBe('1');
  });

  it('maps the store errors', () => {
    const conflict = toErrorResponse(new WrongExpectedVersionError('issue-1', 3, 5));
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toMatchObject({ code: 'version_conflict', details: { streamId: 'issue-1', expected: 3, actual: 5 } });
    const down = toErrorResponse(new StoreUnavailableError('closed'));
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('unavailable');
  });

  it.each([
    ['FST_ERR_CTP_INVALID_JSON_BODY', new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), 400, 'validation_failed'],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), 400, 'validation_failed'],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), 400, 'validation_failed'],
    ['FST_ERR_CTP_BODY_TOO_LARGE', new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), 413, 'payload_too_large'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('text/plain'), 415, 'unsupported_media_type'],
  ])('maps Fastify %s to %i, wrapped by Nest or not', (_name, error, status, code) => {
    for (const exception of [asNestSeesIt(error), error]) {
      const response = toErrorResponse(exception);
      expect(response.status).toBe(status);
      expect(response.body.error.code).toBe(code);
    }
  });

  it('maps Nest HTTP exceptions by status', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /x')).body.error).toEqual({ code: 'not_found', message: 'Cannot GET /x', details: {} });
    expect(toErrorResponse(new BadRequestException(['a is bad', 'b is bad'])).body.error).toMatchObject({ code: 'validation_failed', message: 'a is bad; b is bad' });
    expect(toErrorResponse(new HttpException('teapot', 418))).toMatchObject({ status: 418, body: { error: { code: 'validation_failed' } } });
  });

  it('answers anything unexpected with a bare 500 that leaks nothing', () => {
    for (const exception of [new TypeError('secret internals at /srv/x.ts:12'), 'a string', new HttpException('boom', 500)]) {
      const response = toErrorResponse(exception);
      expect(response).toMatchObject({ status: 500, unexpected: true, body: { error: { code: 'internal', message: 'internal error', details: {} } } });
    }
  });
});
