/**
 * Lifecycle definitions are versioned streams `lifecycle-<name>` (DESIGN.md, Event model): each
 * accepted registration is a LifecycleRegistered event, and its version is its place in the
 * stream (1, 2, ...). A definition is compiled before it is accepted, so a stored version always
 * compiles; registering the very source of the latest version again changes nothing.
 */
import { compileLifecycle, type Problem } from '@trellis/lifecycle';
import type { Decider } from '../decider';
import { DomainError } from '../errors';

export const lifecycleStreamId = (name: string): string => `lifecycle-${name}`;

export const LIFECYCLE_REGISTERED = 'LifecycleRegistered';

export interface RegisterLifecycle {
  type: 'RegisterLifecycle';
  /** The name the caller registers under (PUT /lifecycles/{name}); the document must agree. */
  name: string;
  source: string;
}

export interface LifecycleRegistered {
  type: typeof LIFECYCLE_REGISTERED;
  data: { name: string; version: number; source: string };
}

export interface LifecycleDefinitionState {
  /** Versions registered so far (0: none). */
  version: number;
  source?: string;
}

export type LifecycleRegistrationDecider = Decider<RegisterLifecycle, LifecycleRegistered, LifecycleDefinitionState>;

export const lifecycleRegistrationDecider: LifecycleRegistrationDecider = {
  initialState: () => ({ version: 0 }),
  evolve: (_state, event) => ({ version: event.data.version, source: event.data.source }),
  decide(command, state) {
    const version = state.version + 1;
    const compiled = compileLifecycle(command.source, { version });
    if (!compiled.ok) return invalidDefinition(command.name, compiled.problems);
    if (compiled.lifecycle.name !== command.name) {
      return new DomainError('validation_failed', `the definition names lifecycle '${compiled.lifecycle.name}', not '${command.name}'`, {
        violations: [{ path: 'lifecycle', message: `must be '${command.name}', the name it is registered under` }],
      });
    }
    if (state.source === command.source) return [];
    return [{ type: LIFECYCLE_REGISTERED, data: { name: command.name, version, source: command.source } }];
  },
};

function invalidDefinition(name: string, problems: Problem[]): DomainError {
  const errors = problems.filter((p) => p.severity === 'error').map(({ path, line, message }) => ({ path, line, message }));
  const first = errors[0];
  const where = first ? ` (first: line ${first.line}, ${first.path || '(root)'}: ${first.message})` : '';
  return new DomainError('invalid_definition', `lifecycle '${name}' has ${errors.length} error${errors.length === 1 ? '' : 's'}${where}`, { errors });
}
