/**
 * The entity as folded from its stream. `evolve` needs no lifecycle: every event says what
 * happened in full (the target state, the data), so any revision of any entity can be folded
 * without the definition (GET .../state?at=, audits of retired definitions).
 */
import { SPRINT_LIFECYCLE } from './scope-rules';
import { factOf, type ApprovalVote, type EntityEvent, type EntityEventData } from './events';

export interface PendingApproval {
  transition: string;
  from: string;
  to: string;
  roles: string[];
  count: number;
  reason?: string;
  data: Record<string, unknown>;
  requestedBy: string;
  requestedAt: string;
  approvals: Array<ApprovalVote & { at: string }>;
}

export interface StateVisit {
  state: string;
  data: Record<string, unknown>;
}

export interface EntityState {
  exists: boolean;
  id: string;
  lifecycle: string;
  /** The definition version the entity was created with; it keeps it until migrated explicitly. */
  lifecycleVersion: number;
  projectId?: string;
  state: string;
  /** The data the current state was entered with (its `data` schema). */
  data: Record<string, unknown>;
  fields: Record<string, unknown>;
  pendingApprovals: PendingApproval[];
  /** Every state entered, oldest first: what a `history` target looks back through. */
  trail: StateVisit[];
  /** Sprints only: the issue ids in the sprint. */
  scope?: string[];
  /** Issues only: the sprint the issue is in, if any. */
  sprint?: string;
  /** The revision of the last event folded (-1: no stream), i.e. the API's `version`. */
  version: number;
  createdAt?: string;
  updatedAt?: string;
}

export const initialEntityState = (): EntityState => ({
  exists: false,
  id: '',
  lifecycle: '',
  lifecycleVersion: 0,
  state: '',
  data: {},
  fields: {},
  pendingApprovals: [],
  trail: [],
  version: -1,
});

type Folds = { [F in keyof EntityEventData]: (state: EntityState, data: EntityEventData[F], at: string) => EntityState };

const folds: Folds = {
  Created: (state, e) => ({
    ...state,
    exists: true,
    id: e.id,
    lifecycle: e.lifecycle,
    lifecycleVersion: e.lifecycleVersion,
    ...(e.projectId === undefined ? {} : { projectId: e.projectId }),
    state: e.state,
    data: {},
    fields: { ...e.fields },
    trail: [{ state: e.state, data: {} }],
    ...(e.lifecycle === SPRINT_LIFECYCLE ? { scope: [] } : {}),
  }),
  FieldsChanged: (state, e) => {
    const fields = { ...state.fields };
    for (const [name, value] of Object.entries(e.fields)) {
      if (value === null) delete fields[name];
      else fields[name] = value;
    }
    return { ...state, fields };
  },
  // A request is made against the state it was asked from; any transition ends it.
  Transitioned: (state, e) => ({
    ...state,
    state: e.to,
    data: e.data,
    trail: [...state.trail, { state: e.to, data: e.data }],
    pendingApprovals: [],
  }),
  ApprovalRequested: (state, e, at) => ({
    ...state,
    pendingApprovals: [
      ...state.pendingApprovals,
      {
        transition: e.transition,
        from: e.from,
        to: e.to,
        roles: e.roles,
        count: e.count,
        ...(e.reason === undefined ? {} : { reason: e.reason }),
        data: e.data,
        requestedBy: e.actor,
        requestedAt: at,
        approvals: [],
      },
    ],
  }),
  ApprovalGranted: (state, e, at) => ({
    ...state,
    pendingApprovals: state.pendingApprovals.map((p) =>
      p.transition === e.transition
        ? { ...p, approvals: [...p.approvals, { actor: e.actor, ...(e.comment === undefined ? {} : { comment: e.comment }), at }] }
        : p,
    ),
  }),
  ApprovalRejected: (state, e) => ({
    ...state,
    pendingApprovals: state.pendingApprovals.filter((p) => p.transition !== e.transition),
  }),
  HookTriggered: (state) => state,
  IssueAdded: (state, e) => ({ ...state, scope: [...(state.scope ?? []), e.issueId] }),
  IssueRemoved: (state, e) => ({ ...state, scope: (state.scope ?? []).filter((id) => id !== e.issueId) }),
  // The closed sprint keeps its scope as the record of what it held; the issues move on.
  IssuesReleased: (state) => state,
  Scheduled: (state, e) => ({ ...state, sprint: e.sprintId }),
  Unscheduled: (state) => {
    const { sprint: _left, ...rest } = state;
    return rest;
  },
};

export function evolve(state: EntityState, event: EntityEvent | { type: string; data: unknown; metadata?: { occurredAt?: string } }): EntityState {
  const fact = factOf(event.type);
  const at = event.metadata?.occurredAt ?? state.updatedAt ?? '';
  const folded = fact ? (folds[fact] as (s: EntityState, d: unknown, at: string) => EntityState)(state, event.data, at) : state;
  return {
    ...folded,
    version: state.version + 1,
    ...(at && !state.exists ? { createdAt: at } : {}),
    ...(at ? { updatedAt: at } : {}),
  };
}

/** What guards and hook templates see as `entity` (LIFECYCLES.md: fields, state, state data). */
export function entityView(state: EntityState): Record<string, unknown> {
  return {
    ...state.fields,
    id: state.id,
    state: state.state,
    data: state.data,
    ...(state.projectId === undefined ? {} : { projectId: state.projectId }),
    ...(state.scope === undefined ? {} : { scope: state.scope }),
    ...(state.sprint === undefined ? {} : { sprint: state.sprint }),
  };
}
