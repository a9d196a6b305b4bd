/**
 * The entity's events. Every type is `<Entity><Fact>`, the entity being the lifecycle's name in
 * PascalCase (`issue` → `IssueTransitioned`, `pull-request` → `PullRequestTransitioned`), so one
 * rule names the events of the built-in and of registered lifecycles alike (LIFECYCLES.md:
 * "<Entity>Transitioned"), and an audit filter on a type names one concept of one entity.
 *
 *   Created            the entity exists, in its lifecycle's initial state, with its fields
 *   FieldsChanged      fields set (a value) or removed (null) by a patch
 *   Transitioned       {from, to, transition, reason, data, actor, approvals}: an accepted transition
 *   ApprovalRequested  a gated transition was asked for; pending until `count` approvals are in
 *   ApprovalGranted    one approver approved a pending request
 *   ApprovalRejected   an approver (or the requester, withdrawing) ended a pending request
 *   HookTriggered      entering a state fired an `on_enter` hook: start workflow `ref` with `input`
 *                      (`entry` = the revision of the event that entered the state: one workflow
 *                      per entry, whoever processes the event and however often)
 *   IssueAdded         (sprint) an issue joined the sprint's scope
 *   IssueRemoved       (sprint) an issue left the sprint's scope
 *   IssuesReleased     (sprint) the sprint closed; its unfinished issues go back to the backlog
 *   Scheduled          (issue) the issue is in a sprint (`previousSprintId`: it moved out of one)
 *   Unscheduled        (issue) the issue is in no sprint any more
 *
 * Metadata carries the actor who issued the command and its `occurredAt` (time comes in with the
 * command); the event store adds correlation, hashes and the rest.
 */
import { entityTypeName } from '@trellis/lifecycle';

export interface EntityEventMetadata {
  actor: string;
  occurredAt: string;
}

export interface ApprovalVote {
  actor: string;
  comment?: string;
}

export interface EntityEventData {
  Created: {
    id: string;
    lifecycle: string;
    lifecycleVersion: number;
    projectId?: string;
    state: string;
    fields: Record<string, unknown>;
    actor: string;
  };
  FieldsChanged: { fields: Record<string, unknown>; actor: string };
  Transitioned: {
    transition: string;
    from: string;
    to: string;
    reason?: string;
    data: Record<string, unknown>;
    /** Who asked for the transition; for a gated one, the requester (metadata names the last approver). */
    actor: string;
    approvals: ApprovalVote[];
  };
  ApprovalRequested: {
    transition: string;
    from: string;
    to: string;
    roles: string[];
    count: number;
    reason?: string;
    data: Record<string, unknown>;
    actor: string;
  };
  ApprovalGranted: { transition: string; actor: string; comment?: string };
  ApprovalRejected: { transition: string; actor: string; comment?: string };
  HookTriggered: { hook: number; ref: string; input: unknown; state: string; entry: number; errors?: string[] };
  IssueAdded: { issueId: string; actor: string };
  IssueRemoved: { issueId: string; actor: string };
  IssuesReleased: { issueIds: string[]; state: string };
  Scheduled: { sprintId: string; previousSprintId?: string; actor: string };
  Unscheduled: { sprintId: string; reason: 'removed' | 'sprint_closed'; actor: string };
}

export type EntityFact = keyof EntityEventData;

export interface EntityEventOf<F extends EntityFact> {
  type: string;
  data: EntityEventData[F];
  metadata: EntityEventMetadata;
}

export type EntityEvent = { [F in EntityFact]: EntityEventOf<F> }[EntityFact];

// Longest first, so a fact that ends another fact's name could never win by accident.
const FACTS = (
  [
    'Created', 'FieldsChanged', 'Transitioned', 'ApprovalRequested', 'ApprovalGranted', 'ApprovalRejected',
    'HookTriggered', 'IssueAdded', 'IssueRemoved', 'IssuesReleased', 'Scheduled', 'Unscheduled',
  ] as EntityFact[]
).sort((a, b) => b.length - a.length);

/** `IssueTransitioned` for ('issue', 'Transitioned'). */
export function entityEventType(lifecycle: string, fact: EntityFact): string {
  return `${entityTypeName(lifecycle)}${fact}`;
}

/** The fact an event type states, whatever the entity; undefined for types that are not ours. */
export function factOf(type: string): EntityFact | undefined {
  return FACTS.find((fact) => type.length > fact.length && type.endsWith(fact));
}

export function isFact<F extends EntityFact>(event: { type: string }, fact: F): event is EntityEventOf<F> {
  return factOf(event.type) === fact;
}
