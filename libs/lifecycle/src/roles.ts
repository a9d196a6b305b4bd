/**
 * The roles an actor can hold in a project (LIFECYCLES.md, last line). Approval gates name them,
 * so a definition that names any other role is rejected at registration, not at the first vote.
 */
export const ROLES = ['viewer', 'member', 'reviewer', 'product-owner', 'sponsor', 'admin', 'auditor'] as const;

export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);
