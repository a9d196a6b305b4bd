/**
 * Which lifecycle a route serves: the built-in entities have their own paths (API.md, Entities)
 * and the entities of a registered lifecycle live under /entities/{lifecycle}. A route's
 * controller names its lifecycle with @EntityLifecycle; /entities/{lifecycle} takes it from the
 * path and refuses the built-in names, whose entities belong to a project and are created
 * through their own paths.
 */
import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { DomainError, entityStreamId, ISSUE_LIFECYCLE, SPRINT_LIFECYCLE } from '@trellis/domain';
import type { FastifyRequest } from 'fastify';

export const PROJECT_LIFECYCLE = 'project';
export const BUILT_IN_ENTITY_LIFECYCLES: readonly string[] = [PROJECT_LIFECYCLE, SPRINT_LIFECYCLE, ISSUE_LIFECYCLE];

/** An entity as a request addresses it. */
export interface EntityRef {
  lifecycle: string;
  id: string;
}

export const streamOf = (ref: EntityRef): string => entityStreamId(ref.lifecycle, ref.id);

const ENTITY_LIFECYCLE = 'trellis:entity-lifecycle';

/** The controller serves the entities of this built-in lifecycle. */
export const EntityLifecycle = (lifecycle: string): ClassDecorator => SetMetadata(ENTITY_LIFECYCLE, lifecycle);

export function customLifecycle(name: string): string {
  if (BUILT_IN_ENTITY_LIFECYCLES.includes(name)) {
    throw new DomainError('not_found', `${name} entities live under /${name === PROJECT_LIFECYCLE ? 'projects' : `${name}s`}, not under /entities/${name}`, {
      lifecycle: name,
    });
  }
  return name;
}

/** The lifecycle of the route's controller (or of the path), and the `:id` parameter. */
export const Entity = createParamDecorator((_data: unknown, context: ExecutionContext): EntityRef => {
  const params = context.switchToHttp().getRequest<FastifyRequest>().params as Record<string, string>;
  const builtIn = Reflect.getMetadata(ENTITY_LIFECYCLE, context.getClass()) as string | undefined;
  return { lifecycle: builtIn ?? customLifecycle(params.lifecycle), id: params.id };
});
