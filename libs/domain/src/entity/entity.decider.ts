/**
 * One decider for every entity — project, sprint, issue and any registered lifecycle — driven by
 * the compiled lifecycle the entity was created with (its name and version are in its state).
 */
import type { CompiledLifecycle } from '@trellis/lifecycle';
import type { Decider } from '../decider';
import { DomainError } from '../errors';
import { decideApproval } from './approvals';
import type { EntityCommand } from './commands';
import type { EntityEvent } from './events';
import { decideChangeFields, decideCreate } from './fields';
import { decideIssueSprint, decideSprintScope } from './scope';
import { evolve, initialEntityState, type EntityState } from './state';
import { decideTransition } from './transition';

/** Looks a definition up by name, and version (omitted: the latest). */
export type LifecycleResolver = (name: string, version?: number) => CompiledLifecycle | undefined;

export type EntityDecider = Decider<EntityCommand, EntityEvent, EntityState>;

export function entityDecider(lifecycles: LifecycleResolver): EntityDecider {
  return {
    initialState: initialEntityState,
    evolve: (state, event) => evolve(state, event),
    decide(command, state) {
      if (command.type === 'CreateEntity') {
        const lifecycle = lifecycles(command.lifecycle, command.lifecycleVersion);
        if (!lifecycle) return unknownLifecycle(command.lifecycle, command.lifecycleVersion);
        return decideCreate(command, state, lifecycle);
      }
      if (!state.exists) return new DomainError('not_found', 'no such entity');
      if (command.expectedVersion !== undefined && command.expectedVersion !== state.version) {
        return new DomainError('version_conflict', `expected version ${command.expectedVersion}, the entity is at ${state.version}`, {
          expected: command.expectedVersion,
          actual: state.version,
        });
      }
      const lifecycle = lifecycles(state.lifecycle, state.lifecycleVersion);
      if (!lifecycle) return unknownLifecycle(state.lifecycle, state.lifecycleVersion);
      switch (command.type) {
        case 'ChangeFields':
          return decideChangeFields(command, state, lifecycle);
        case 'TransitionEntity':
          return decideTransition(command, state, lifecycle);
        case 'DecideApproval':
          return decideApproval(command, state, lifecycle);
        case 'AddIssueToSprint':
        case 'RemoveIssueFromSprint':
          return decideSprintScope(command, state, lifecycle);
        case 'ScheduleIssue':
        case 'UnscheduleIssue':
        case 'ReturnIssueToBacklog':
          return decideIssueSprint(command, state, lifecycle);
      }
    },
  };
}

/** A resolver over a list of compiled definitions (the built-ins, a test's custom lifecycle). */
export function lifecycleResolver(lifecycles: readonly CompiledLifecycle[]): LifecycleResolver {
  return (name, version) => {
    const candidates = lifecycles.filter((l) => l.name === name && (version === undefined || l.version === version));
    return candidates.sort((a, b) => b.version - a.version)[0];
  };
}

function unknownLifecycle(name: string, version?: number): DomainError {
  return new DomainError('not_found', `no lifecycle '${name}'${version === undefined ? '' : ` version ${version}`}`, { lifecycle: name, version });
}
