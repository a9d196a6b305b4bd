/** The one exception filter: everything thrown anywhere in a request ends here. */
import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-mapping';

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const response = toErrorResponse(exception);

    if (response.unexpected) {
      // The client gets a request id to quote; the stack stays in the log.
      response.body.error.details = { requestId: request.id };
      this.logger.error({ msg: 'unexpected error', err: exception, reqId: request.id, method: request.method, url: request.url });
    }
    if (reply.sent) return;
    reply.status(response.status).headers(response.headers).header('content-type', 'application/json; charset=utf-8').send(response.body);
  }
}
