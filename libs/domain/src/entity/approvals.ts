/**
 * Approval gates (LIFECYCLES.md, Semantics): callers holding one of the gate's roles approve or
 * reject a pending request; the requester cannot approve their own; the transition happens when
 * `count` distinct approvals are in; a rejection ends the request.
 */
import type { CompiledLifecycle } from '@trellis/lifecycle';
import { DomainError } from '../errors';
import type { DecideApproval } from './commands';
import { defined, emitter } from './emit';
import { enter } from './entering';
import type { EntityEvent } from './events';
import { prefixed, validationFailed } from './rejections';
import { evolve, type EntityState, type PendingApproval } from './state';
import { checkGuard } from './transition';

/** As the access rules have it (libs/domain/src/access): an admin holds every role in its scope. */
const holdsOneOf = (held: readonly string[], required: readonly string[]) =>
  held.includes('admin') || required.some((role) => held.includes(role));

export function decideApproval(command: DecideApproval, state: EntityState, lifecycle: CompiledLifecycle): EntityEvent[] | DomainError {
  const pending = state.pendingApprovals.find((p) => p.transition === command.transition);
  if (!pending) {
    return new DomainError('not_found', `no pending approval for '${command.transition}' on ${lifecycle.name} ${state.id}`, {
      transition: command.transition,
      pending: state.pendingApprovals.map((p) => p.transition),
    });
  }
  const emit = emitter(lifecycle, command);
  const vote = defined({ transition: pending.transition, actor: command.actor, comment: command.comment });
  const isRequester = command.actor === pending.requestedBy;

  if (command.decision === 'reject') {
    // The requester may withdraw their own request; anyone else needs the gate's role.
    if (!isRequester && !holdsOneOf(command.roles, pending.roles)) return notAnApprover(pending);
    return [emit('ApprovalRejected', vote)];
  }
  if (isRequester) {
    return new DomainError('forbidden', `${command.actor} requested '${pending.transition}' and cannot approve their own request`, {
      transition: pending.transition,
    });
  }
  if (!holdsOneOf(command.roles, pending.roles)) return notAnApprover(pending);
  // A second vote by the same approver is the same approval delivered twice.
  if (pending.approvals.some((a) => a.actor === command.actor)) return [];

  const granted = emit('ApprovalGranted', vote);
  const approvals = [...pending.approvals, { actor: command.actor, comment: command.comment }].map(({ actor, comment }) => defined({ actor, comment }));
  if (approvals.length < pending.count) return [granted];
  return completeRequest(pending, state, lifecycle, approvals, granted, emit);
}

/**
 * The quorum is in: the guard is judged again (the entity may have changed since the request, and
 * a guard over `approvals` is judged only now). If it fails, the vote is not recorded and the
 * request stays pending, so approving again once the guard holds completes it.
 */
function completeRequest(
  pending: PendingApproval,
  state: EntityState,
  lifecycle: CompiledLifecycle,
  approvals: Array<{ actor: string; comment?: string }>,
  granted: EntityEvent,
  emit: ReturnType<typeof emitter>,
): EntityEvent[] | DomainError {
  const transition = lifecycle.transitions[pending.transition];
  const planned = { transition, to: pending.to, data: pending.data, reason: pending.reason };
  const schema = lifecycle.states[pending.to]?.data;
  const violations = schema ? prefixed('data', schema.validate(pending.data)) : [];
  if (violations.length > 0) return validationFailed(`cannot enter ${pending.to}`, violations);
  const failed = checkGuard(transition, state, planned, { actor: pending.requestedBy }, approvals);
  if (failed) return failed;
  return [
    granted,
    ...enter(lifecycle, evolve(state, granted), {
      transition: transition.name,
      from: state.state,
      to: pending.to,
      reason: pending.reason,
      data: pending.data,
      actor: pending.requestedBy,
      approvals,
    }, emit),
  ];
}

function notAnApprover(pending: PendingApproval): DomainError {
  return new DomainError('forbidden', `approving '${pending.transition}' needs one of the roles: ${pending.roles.join(', ')}`, {
    transition: pending.transition,
    roles: pending.roles,
  });
}
