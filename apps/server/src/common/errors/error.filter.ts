/** The one exception filter: everything thrown anywhere in a request ends here. */
import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import type { FastifyError, FastifyHttpOptions, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-mapping';

const logger = new Logger('ErrorFilter');

/** Answers `exception` in the API's error shape. */
export function sendError(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const response = toErrorResponse(exception);
  if (response.unexpected) {
    // The client gets a request id to quote; the stack stays in the log.
    response.body.error.details = { requestId: request.id };
    logger.error({ msg: 'unexpected error', err: exception, reqId: request.id, method: request.method, url: request.url });
  }
  if (reply.sent) return;
  reply.status(response.status).headers(response.headers).header('content-type', 'application/json; charset=utf-8').send(response.body);
}

/**
 * The Fastify adapter whose error handler (for what Fastify rejects before Nest sees a request: a
 * body that does not parse, is too large, ...) is the API's from the start. Nest would install its
 * own only after initialising the modules, and a plugin registered during initialisation (GraphQL)
 * makes Fastify settle the routes' handler before that; Nest's would answer the same (through
 * ErrorFilter), so its late call is not needed.
 */
export class ApiFastifyAdapter extends FastifyAdapter {
  constructor(options: FastifyHttpOptions<Server>) {
    super(options);
    this.getInstance().setErrorHandler((error: FastifyError, request, reply) => sendError(error, request, reply));
  }

  override setErrorHandler(): FastifyInstance {
    return this.getInstance();
  }
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    // GraphQL answers errors in its own response (codes in extensions.code: see graphql/errors.ts).
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    sendError(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
