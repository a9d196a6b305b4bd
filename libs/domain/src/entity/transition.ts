/**
 * A transition, checked in the order LIFECYCLES.md's Semantics give: it must leave from the
 * current state (a superstate counts for each of its states), carry a reason if required,
 * enter its target with valid state data, and pass its guard; an approval gate then turns the
 * first request into a pending request instead of the transition.
 */
import { HISTORY, historyRegion, type CompiledLifecycle, type CompiledTransition } from '@trellis/lifecycle';
import { DomainError } from '../errors';
import type { TransitionEntity } from './commands';
import { defined, emitter } from './emit';
import { enter } from './entering';
import type { ApprovalVote, EntityEvent } from './events';
import { invalidTransition, prefixed, validationFailed } from './rejections';
import { entityView, type EntityState, type StateVisit } from './state';

/** A transition that passed every check that does not depend on approvals. */
export interface PlannedTransition {
  transition: CompiledTransition;
  to: string;
  data: Record<string, unknown>;
  reason?: string;
}

export function decideTransition(command: TransitionEntity, state: EntityState, lifecycle: CompiledLifecycle): EntityEvent[] | DomainError {
  const planned = planTransition(command, state, lifecycle);
  if (planned instanceof DomainError) return planned;
  const { transition } = planned;
  const emit = emitter(lifecycle, command);

  if (transition.approval) {
    // Asking again while a request is pending changes nothing: the caller shows the pending one.
    if (state.pendingApprovals.some((p) => p.transition === transition.name)) return [];
    // A guard over the approvals can only be judged when they are in; any other fails fast.
    if (!transition.guard?.readsApprovals) {
      const failed = checkGuard(transition, state, planned, command, []);
      if (failed) return failed;
    }
    return [emit('ApprovalRequested', defined({
      transition: transition.name,
      from: state.state,
      to: planned.to,
      roles: transition.approval.roles,
      count: transition.approval.count,
      reason: planned.reason,
      data: planned.data,
      actor: command.actor,
    }))];
  }

  const failed = checkGuard(transition, state, planned, command, []);
  if (failed) return failed;
  return enter(lifecycle, state, { transition: transition.name, from: state.state, to: planned.to, reason: planned.reason, data: planned.data, actor: command.actor, approvals: [] }, emit);
}

export function planTransition(
  command: { transition: string; reason?: string; data?: Record<string, unknown> },
  state: EntityState,
  lifecycle: CompiledLifecycle,
): PlannedTransition | DomainError {
  const transition = lifecycle.transitions[command.transition];
  if (!transition) {
    return invalidTransition(lifecycle, state, `${lifecycle.name} has no transition '${command.transition}'`);
  }
  if (!transition.fromStates.includes(state.state)) {
    return invalidTransition(lifecycle, state, `'${transition.name}' is not allowed from ${state.state}`);
  }
  const reason = command.reason?.trim() ? command.reason : undefined;
  if (transition.reasonRequired && !reason) {
    return validationFailed(`'${transition.name}' needs a reason`, [{ path: 'reason', message: 'a non-empty reason is required' }]);
  }
  const target = transition.to === HISTORY ? historyTarget(lifecycle, transition, state) : { state: transition.to, data: {} };
  if (!target) return invalidTransition(lifecycle, state, `'${transition.name}' has no earlier state to return to`);
  // Returning to a state restores the data it had, unless the caller brings new data.
  const data = command.data ?? (transition.to === HISTORY ? target.data : {});
  const violations = stateDataViolations(lifecycle, target.state, data);
  if (violations.length > 0) return validationFailed(`cannot enter ${target.state}`, violations);
  return defined({ transition, to: target.state, data, reason });
}

/** The state before the entity entered the `from` region it is leaving (a statechart history state). */
function historyTarget(lifecycle: CompiledLifecycle, transition: CompiledTransition, state: EntityState): StateVisit | undefined {
  const region = historyRegion(lifecycle, transition, state.state);
  return [...state.trail].reverse().find((visit) => !region.includes(visit.state));
}

function stateDataViolations(lifecycle: CompiledLifecycle, target: string, data: Record<string, unknown>) {
  const schema = lifecycle.states[target].data;
  if (schema) return prefixed('data', schema.validate(data));
  return Object.keys(data).map((name) => ({ path: `data.${name}`, message: `${target} takes no data` }));
}

export function checkGuard(
  transition: CompiledTransition,
  state: EntityState,
  planned: PlannedTransition,
  requester: { actor: string },
  approvals: ApprovalVote[],
): DomainError | undefined {
  const guard = transition.guard;
  if (!guard) return undefined;
  const outcome = guard.test({
    entity: entityView(state),
    command: defined({ transition: transition.name, reason: planned.reason, data: planned.data, actor: requester.actor }),
    approvals: approvals.map((a) => ({ ...a })),
  });
  if (outcome.passed) return undefined;
  return new DomainError('guard_failed', guard.message, defined({ transition: transition.name, guard: guard.when, error: outcome.error }));
}
