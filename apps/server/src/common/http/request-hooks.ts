/**
 * Per-request observability as Fastify hooks rather than a Nest interceptor: hooks also see the
 * requests Fastify rejects before Nest runs (bad JSON, oversized bodies, unknown routes).
 */
import type { FastifyInstance } from 'fastify';
import type { MetricsService } from '../../metrics/metrics.service';

export function registerRequestHooks(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    metrics.observeRequest(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
    // Headers are not logged at all (and the logger redacts Authorization if anyone adds them).
    request.log.info(
      { req: { method: request.method, url: request.url, route }, res: { statusCode: reply.statusCode }, responseTimeMs: Math.round(reply.elapsedTime * 10) / 10 },
      'request completed',
    );
  });
}
