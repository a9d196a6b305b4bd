/**
 * The compiled lifecycle: the state machine a definition describes, with every name resolved and
 * every schema and expression compiled, so deciding a command does no parsing at all.
 */
import type { Role } from './roles';
import type { CompiledSchema } from './schema';

/** `to: history` (LIFECYCLES.md, Semantics): back to the state before the `from` state was entered. */
export const HISTORY = 'history';

export interface CompiledState {
  name: string;
  final: boolean;
  /** The state's data schema, checked on entry; undefined: the state takes no data. */
  data?: CompiledSchema;
  superstates: string[];
}

export interface GuardInput {
  entity: Record<string, unknown>;
  command: Record<string, unknown>;
  approvals: ReadonlyArray<Record<string, unknown>>;
}

export interface CompiledGuard {
  when: string;
  message: string;
  /** A guard over `approvals` can only be judged once the approvals are in. */
  readsApprovals: boolean;
  /** An expression that fails to evaluate (a missing key) fails the guard, with the reason. */
  test(input: GuardInput): { passed: true } | { passed: false; error?: string };
}

export interface ApprovalGate {
  roles: Role[];
  count: number;
}

export interface CompiledTransition {
  name: string;
  /** As written: state and superstate names. */
  from: string[];
  /** `from` with superstates expanded, in state order. */
  fromStates: string[];
  /** A state name, or HISTORY. */
  to: string;
  guard?: CompiledGuard;
  reasonRequired: boolean;
  approval?: ApprovalGate;
}

export interface CompiledHook {
  index: number;
  /** A state, or a superstate: entered when one of its states is entered from outside it. */
  onEnter: string;
  startWorkflow: { ref: string; input: unknown };
  /** Renders the input templates over the entity as it is after entering the state. */
  render(entity: Record<string, unknown>): { input: unknown; errors: string[] };
}

export interface CompiledLifecycle {
  name: string;
  version: number;
  /** PascalCase of the name: the prefix of the entity's event types (`IssueTransitioned`). */
  entityType: string;
  initial: string;
  fields: CompiledSchema;
  /** In definition order. */
  states: Record<string, CompiledState>;
  superstates: Record<string, string[]>;
  /** In definition order; "allowed" lists keep this order. */
  transitions: Record<string, CompiledTransition>;
  hooks: CompiledHook[];
  /** The YAML as registered, for GET /lifecycles/{name}. */
  source: string;
}

export function entityTypeName(lifecycle: string): string {
  return lifecycle
    .split(/[-_]/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

export function transitionsFrom(lifecycle: CompiledLifecycle, state: string): CompiledTransition[] {
  return Object.values(lifecycle.transitions).filter((t) => t.fromStates.includes(state));
}

export function allowedTransitions(lifecycle: CompiledLifecycle, state: string): string[] {
  return transitionsFrom(lifecycle, state).map((t) => t.name);
}

/**
 * The region a history target looks back out of: the `from` entry that matched the current state
 * (a state, or all states of a superstate). A state named directly wins over a superstate.
 */
export function historyRegion(lifecycle: CompiledLifecycle, transition: CompiledTransition, state: string): string[] {
  if (transition.from.includes(state)) return [state];
  const superstate = transition.from.find((name) => lifecycle.superstates[name]?.includes(state));
  return superstate ? lifecycle.superstates[superstate] : [state];
}

/** Hooks that fire when the entity moves from `from` (undefined on creation) into `to`. */
export function hooksEntered(lifecycle: CompiledLifecycle, from: string | undefined, to: string): CompiledHook[] {
  return lifecycle.hooks.filter((hook) => {
    if (hook.onEnter === to) return true;
    const members = lifecycle.superstates[hook.onEnter];
    return !!members && members.includes(to) && (from === undefined || !members.includes(from));
  });
}
