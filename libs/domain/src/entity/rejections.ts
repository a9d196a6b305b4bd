/** The DomainErrors an entity command can end in, with the details API.md promises for each code. */
import { allowedTransitions, type CompiledLifecycle, type Violation } from '@trellis/lifecycle';
import { DomainError } from '../errors';
import type { EntityState } from './state';

/** 409: names the current state and lists what is allowed from it (LIFECYCLES.md, Semantics). */
export function invalidTransition(lifecycle: CompiledLifecycle, state: EntityState, message: string): DomainError {
  return new DomainError('invalid_transition', message, {
    state: state.state,
    allowed: allowedTransitions(lifecycle, state.state),
  });
}

export function validationFailed(message: string, violations: Violation[]): DomainError {
  return new DomainError('validation_failed', `${message}: ${violations.map((v) => `${v.path || '(root)'} ${v.message}`).join('; ')}`, {
    violations,
  });
}

export const prefixed = (prefix: string, violations: Violation[]): Violation[] =>
  violations.map((v) => ({ ...v, path: v.path ? `${prefix}.${v.path}` : prefix }));
