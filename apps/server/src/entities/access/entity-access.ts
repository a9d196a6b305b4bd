/**
 * Who may do what to an entity (LIFECYCLES.md, Roles; API.md 403). Roles are granted per project,
 * so the check needs the entity's project, which only its stream knows: the command handler
 * wraps the entity decider in this check, made against the very state the command is decided on
 * (no second read, no window between the check and the decision).
 *   write (create, patch, fire a transition, change a sprint's scope): member, reviewer,
 *     product-owner, sponsor or admin, on the entity's project or on '*'. Viewers and auditors read.
 *   read (and approvals, whose gate names the roles that may vote: the decider checks those).
 * The decider is given the roles the actor holds in the entity's project.
 */
import { DomainError, type Decider, type EntityCommand, type EntityDecider, type EntityEvent, type EntityState } from '@trellis/domain';
import { ANY_PROJECT, ROLES, type Role, type RoleGrants } from '@trellis/domain/access';
import type { EntityCommandData } from '@trellis/runtime';
import type { Principal } from '../../common/auth/principal';
import { assertRole } from '../../common/auth/roles.decorator';
import { PROJECT_LIFECYCLE } from '../entity-kinds';

export type Permission = 'read' | 'write';

export const WRITE_ROLES: readonly Role[] = ['member', 'reviewer', 'product-owner', 'sponsor', 'admin'];
export const READ_ROLES: readonly Role[] = ROLES;

export interface Authority {
  principal: Principal;
  need: Permission;
  /** The project a creation happens in ('*' for projects and registered lifecycles' entities). */
  project?: string;
  occurredAt: string;
}

/** A project's roles are granted on the project itself; a project-less entity is engine-wide. */
export function projectOf(state: EntityState): string {
  if (state.lifecycle === PROJECT_LIFECYCLE) return state.id;
  return state.projectId ?? ANY_PROJECT;
}

export function rolesIn(grants: RoleGrants, project: string): Role[] {
  const held = [...(grants[ANY_PROJECT] ?? []), ...(project === ANY_PROJECT ? [] : (grants[project] ?? []))];
  return [...new Set(held)];
}

export function assertAllowed(principal: Principal, project: string, need: Permission): void {
  assertRole(principal, project, need === 'write' ? WRITE_ROLES : READ_ROLES);
}

export function authorizedDecider(inner: EntityDecider, authority: Authority): Decider<EntityCommandData, EntityEvent, EntityState> {
  return {
    initialState: inner.initialState,
    evolve: inner.evolve,
    decide(command, state) {
      // An entity that does not exist has no project to check against: the decider says not_found.
      if (!state.exists && command.type !== 'CreateEntity') return new DomainError('not_found', 'no such entity');
      const project = authority.project ?? projectOf(state);
      // assertRole throws its DomainError; the pipeline reports a thrown DomainError as it does a returned one.
      assertAllowed(authority.principal, project, authority.need);
      const { actor, roles } = authority.principal;
      return inner.decide({ ...command, actor, roles: rolesIn(roles, project), occurredAt: authority.occurredAt } as EntityCommand, state);
    },
  };
}
