/**
 * Once shutdown begins, requests that arrive (on kept-alive connections, or before the listener
 * closes) are answered 503 `unavailable` with Retry-After, in the one error shape, so clients and
 * load balancers retry elsewhere; requests already in flight run to completion. Fastify's own
 * 503-on-closing is turned off because it answers in its own shape.
 */
import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '@trellis/domain';

@Injectable()
export class ShutdownGate implements BeforeApplicationShutdown {
  private closing = false;

  get isClosing(): boolean {
    return this.closing;
  }

  beforeApplicationShutdown(): void {
    this.closing = true;
  }

  register(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', async (_request, reply) => {
      if (!this.closing) return;
      reply.header('connection', 'close');
      throw new DomainError('unavailable', 'the server is shutting down', { retryAfterSeconds: 1 });
    });
  }
}
