import { SetMetadata } from '@nestjs/common';
import { DomainError } from '@trellis/domain';
import { ANY_PROJECT, hasRole, Role } from '@trellis/domain/access';
import type { Principal } from './principal';

export const REQUIRED_ROLES = 'trellis:roles';

export interface RoleRequirement {
  roles: readonly Role[];
  /** Route parameter naming the project; absent: an engine-wide action, granted only on '*'. */
  projectParam?: string;
}

/** The route needs one of `roles` engine-wide (granted on '*'); admins pass every check. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, { roles } satisfies RoleRequirement);

/** The route needs one of `roles` in the project named by route parameter `projectParam`. */
export const ProjectRoles = (projectParam: string, ...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, { roles, projectParam } satisfies RoleRequirement);

/**
 * For checks a decorator cannot express (the project is known only after loading the entity):
 * throws `forbidden` unless the principal holds one of `roles` in `project`.
 */
export function assertRole(principal: Principal, project: string, roles: readonly Role[]): void {
  if (hasRole(principal.roles, project, roles)) return;
  const where = project === ANY_PROJECT ? 'on every project' : `in project ${project}`;
  throw new DomainError('forbidden', `${principal.actor} needs one of the roles ${roles.join(', ')} ${where}`, {
    actor: principal.actor,
    project,
    required: roles,
  });
}
