/**
 * Roles and grants. A token carries grants: for each project id (or '*' for every project) the
 * roles its actor holds there. Role checks live here, once, so that the HTTP guard, GraphQL and
 * any later service ask the same question the same way.
 */

export const ROLES = ['viewer', 'member', 'reviewer', 'product-owner', 'sponsor', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** The scope that stands for every project. */
export const ANY_PROJECT = '*';

/** Project id (or '*') → roles held there. */
export type RoleGrants = Readonly<Record<string, readonly Role[]>>;

export interface Violation {
  path: string;
  message: string;
}

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/**
 * Everything wrong with a grants value, one violation per problem, with paths relative to the
 * grants object (`p1`, `p1.0`): the caller prefixes them with where the grants sit.
 */
export function roleGrantViolations(value: unknown): Violation[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ path: '', message: 'must be an object mapping a project id or "*" to a list of roles' }];
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return [{ path: '', message: 'must grant at least one role' }];
  const violations: Violation[] = [];
  for (const [project, roles] of entries) {
    if (project.trim() === '') violations.push({ path: project, message: 'project id must not be empty' });
    if (!Array.isArray(roles) || roles.length === 0) {
      violations.push({ path: project, message: 'must be a non-empty list of roles' });
      continue;
    }
    roles.forEach((role, index) => {
      if (!isRole(role)) violations.push({ path: `${project}.${index}`, message: `unknown role ${JSON.stringify(role)}; roles are ${ROLES.join(', ')}` });
    });
  }
  return violations;
}

/**
 * True when the grants give one of `roles` in `project`. Grants on '*' count in every project;
 * a check on '*' itself (an engine-wide action) is met only by grants on '*'. An admin holds
 * every role in its scope.
 */
export function hasRole(grants: RoleGrants, project: string, roles: readonly Role[]): boolean {
  const held = new Set<Role>([...(grants[ANY_PROJECT] ?? []), ...(project === ANY_PROJECT ? [] : (grants[project] ?? []))]);
  return held.has('admin') || roles.some((role) => held.has(role));
}
