/**
 * Definitions may be sent as YAML as well as JSON (API.md), with a smaller body limit than other
 * requests. A route opts in with @DefinitionBody(); YAML sent to any other route is a 415, as
 * any other unsupported type is. Installed on the Fastify instance before the routes are added,
 * so the route-level limit is in place when Fastify builds each route.
 */
import { RouteConfig } from '@nestjs/platform-fastify';
import { errorCodes, type FastifyInstance } from 'fastify';

/** API.md: "body over the limit (default 1 MiB; definitions 256 KiB)". */
export const DEFINITION_BODY_LIMIT = 256 * 1024;

export const YAML_MEDIA_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml'];

const DEFINITION_BODY = 'trellisDefinitionBody';

export const DefinitionBody = (): MethodDecorator => RouteConfig({ [DEFINITION_BODY]: true });

const takesDefinitions = (config: unknown): boolean => !!config && (config as Record<string, unknown>)[DEFINITION_BODY] === true;

export function acceptDefinitionBodies(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    if (takesDefinitions(route.config)) route.bodyLimit = DEFINITION_BODY_LIMIT;
  });
  fastify.addContentTypeParser(YAML_MEDIA_TYPES, { parseAs: 'string' }, (request, body, done) => {
    if (!takesDefinitions(request.routeOptions.config)) {
      done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers['content-type']), undefined);
      return;
    }
    done(null, body);
  });
}
