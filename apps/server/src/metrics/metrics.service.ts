/**
 * Prometheus metrics. Each app has its own registry (several apps may live in one test process);
 * the runtime and later features increment the counters exposed here.
 */
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'trellis_http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  /** Commands handled, by command type and outcome (ok, duplicate, or the error code). */
  readonly commands = new Counter({
    name: 'trellis_commands_total',
    help: 'Commands handled by outcome',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'trellis_events_appended_total',
    help: 'Events appended to the event store by this process',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'trellis_' });
  }

  /** `route` is the route template (`/api/v1/projects/:id`), never the raw URL, to bound cardinality. */
  observeRequest(route: string | undefined, method: string, status: number, seconds: number): void {
    this.httpRequestDuration.observe({ route: route ?? 'unmatched', method, status: String(status) }, seconds);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
