/**
 * Commands on an entity, one per API call (API.md, Entities), so a controller maps a request to
 * one command. Who and when come with every command: the actor, the roles the actor holds in the
 * entity's project (resolved by the caller from the token), and `occurredAt`.
 */
import type { Role } from '@trellis/lifecycle';

export interface CommandContext {
  actor: string;
  roles: readonly Role[];
  occurredAt: string;
  /** The `version` the caller last read; stale → version_conflict (API.md `expectedVersion`). */
  expectedVersion?: number;
}

/** POST /projects, /projects/{id}/sprints, /projects/{id}/issues, /entities/{lifecycle}. */
export interface CreateEntity extends CommandContext {
  type: 'CreateEntity';
  entityId: string;
  lifecycle: string;
  /** Omitted: the latest registered version. */
  lifecycleVersion?: number;
  projectId?: string;
  fields: Record<string, unknown>;
}

/** PATCH /{...}/{id}: a merge patch; null removes a field. */
export interface ChangeFields extends CommandContext {
  type: 'ChangeFields';
  fields: Record<string, unknown>;
}

/** POST /{...}/{id}/transitions. */
export interface TransitionEntity extends CommandContext {
  type: 'TransitionEntity';
  transition: string;
  reason?: string;
  data?: Record<string, unknown>;
}

/** POST /{...}/{id}/approvals. */
export interface DecideApproval extends CommandContext {
  type: 'DecideApproval';
  transition: string;
  decision: 'approve' | 'reject';
  comment?: string;
}

/** POST /sprints/{id}/scope (on the sprint). */
export interface AddIssueToSprint extends CommandContext {
  type: 'AddIssueToSprint';
  issueId: string;
}

/** DELETE /sprints/{id}/scope/{issueId} (on the sprint). */
export interface RemoveIssueFromSprint extends CommandContext {
  type: 'RemoveIssueFromSprint';
  issueId: string;
}

/** The issue's side of AddIssueToSprint (a process manager sends it; idempotent). */
export interface ScheduleIssue extends CommandContext {
  type: 'ScheduleIssue';
  sprintId: string;
}

/** The issue's side of RemoveIssueFromSprint (idempotent). */
export interface UnscheduleIssue extends CommandContext {
  type: 'UnscheduleIssue';
  sprintId: string;
}

/** Sent for each issue of an IssuesReleased: unschedules the issue unless it is finished (idempotent). */
export interface ReturnIssueToBacklog extends CommandContext {
  type: 'ReturnIssueToBacklog';
  sprintId: string;
}

export type EntityCommand =
  | CreateEntity
  | ChangeFields
  | TransitionEntity
  | DecideApproval
  | AddIssueToSprint
  | RemoveIssueFromSprint
  | ScheduleIssue
  | UnscheduleIssue
  | ReturnIssueToBacklog;
