/**
 * Builds a fully configured, initialised (not yet listening) server. main.ts, the e2e tests and
 * the benchmarks all start the server through here, so they all run the same thing.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import type { Logger } from 'pino';
import { appInfo } from './app-info';
import { AppModule } from './app.module';
import type { BackendOverrides } from './backend/backend.module';
import { ApiFastifyAdapter, ErrorFilter } from './common/errors/error.filter';
import { registerRequestHooks } from './common/http/request-hooks';
import { ShutdownGate } from './common/http/shutdown-gate';
import { createLogger, PinoLoggerService } from './common/logging/logger';
import { acceptDefinitionBodies } from './lifecycles/http/definition-bodies';
import { createValidationPipe } from './common/validation/validation.pipe';
import type { AppConfig } from './config/config';
import { MetricsService } from './metrics/metrics.service';
import { setupOpenApi } from './openapi';

export const API_PREFIX = 'api/v1';

export interface CreateAppOptions extends BackendOverrides {
  /** Close gracefully and exit 0 on SIGTERM/SIGINT (default true; in-process tests turn it off). */
  handleSignals?: boolean;
  logger?: Logger;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

// A caller's X-Request-Id is kept (to follow a request across services) when it is a sane token.
const requestId = (req: IncomingMessage): string => {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
};

export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const adapter = new ApiFastifyAdapter({
    loggerInstance: logger,
    // One line per request comes from our onResponse hook instead of Fastify's pair of lines.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    genReqId: requestId,
    requestIdHeader: false,
    return503OnClosing: false,
  });
  // Requests are JSON (definitions may also be YAML): anything else is a 415, not a string body
  // that reaches the DTO validation in a confusing shape.
  adapter.getInstance().removeContentTypeParser('text/plain');
  acceptDefinitionBodies(adapter.getInstance());

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), adapter, {
    logger: new PinoLoggerService(logger),
    // Fastify's own JSON parser (with bodyLimit) stays; Nest's parsers would add urlencoded.
    bodyParser: false,
    // Fail with an exception the caller can report, instead of Nest exiting the process.
    abortOnError: false,
  });
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalFilters(new ErrorFilter());
  app.useGlobalPipes(createValidationPipe());
  const fastify = app.getHttpAdapter().getInstance();
  app.get(ShutdownGate).register(fastify);
  registerRequestHooks(fastify, app.get(MetricsService));
  setupOpenApi(app, appInfo().version);
  if (options.handleSignals ?? true) app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.init();
  return app;
}
