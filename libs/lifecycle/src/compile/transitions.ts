/**
 * `transitions:` (LIFECYCLES.md, Semantics): from → to, with an optional guard, a required reason
 * and an approval gate. Every name is resolved here, so the decider never meets an unknown one.
 */
import { compileGuardExpression } from '../expressions';
import { HISTORY, type ApprovalGate, type CompiledGuard, type CompiledState, type CompiledTransition } from '../lifecycle';
import type { Path, ProblemList } from '../problems';
import { isRole, ROLES, type Role } from '../roles';
import { checkKeys, isRecord, NAME, readMap, readNames } from './shape';

const TRANSITION_KEYS = ['from', 'to', 'guard', 'reason', 'approval', 'description'];

interface Names {
  states: Record<string, CompiledState>;
  superstates: Record<string, string[]>;
  fields: readonly string[];
}

export function compileTransitions(section: unknown, names: Names, problems: ProblemList): Record<string, CompiledTransition> {
  const transitions: Record<string, CompiledTransition> = {};
  for (const [name, raw] of Object.entries(readMap(section, ['transitions'], problems))) {
    const path = ['transitions', name];
    if (!NAME.test(name)) {
      problems.error(path, `'${name}' cannot name a transition (letters, digits, _)`);
      continue;
    }
    if (!isRecord(raw)) {
      problems.error(path, 'expected a map, e.g. {from: A, to: B}');
      continue;
    }
    checkKeys(raw, TRANSITION_KEYS, path, problems);
    const from = compileFrom(raw.from, [...path, 'from'], names, problems);
    const to = compileTo(raw.to, [...path, 'to'], names, problems);
    const guard = raw.guard === undefined ? undefined : compileGuard(raw.guard, [...path, 'guard'], names.fields, problems);
    const approval = raw.approval === undefined ? undefined : compileApproval(raw.approval, [...path, 'approval'], problems);
    if (raw.reason !== undefined && raw.reason !== 'required' && raw.reason !== 'optional') {
      problems.error([...path, 'reason'], "'reason' is 'required' or 'optional'");
    }
    if (!from || !to) continue;
    transitions[name] = { name, from: from.names, fromStates: from.states, to, guard, approval, reasonRequired: raw.reason === 'required' };
  }
  return transitions;
}

function compileFrom(value: unknown, path: Path, names: Names, problems: ProblemList) {
  if (value === undefined) {
    problems.error(path, "a transition needs 'from'");
    return undefined;
  }
  const written = readNames(value, path, problems);
  const states = new Set<string>();
  written.forEach((name, index) => {
    const at = Array.isArray(value) ? [...path, index] : path;
    const members = names.states[name] ? [name] : names.superstates[name];
    if (!members) return problems.error(at, `unknown state '${name}'`);
    for (const member of members) {
      // A final state is final: nothing may leave it (a superstate may not smuggle one in either).
      if (names.states[member].final) problems.error(at, `transition from a final state '${member}'`);
      states.add(member);
    }
  });
  const ordered = Object.keys(names.states).filter((s) => states.has(s));
  return { names: written, states: ordered };
}

function compileTo(value: unknown, path: Path, names: Names, problems: ProblemList): string | undefined {
  if (typeof value !== 'string' || value === '') {
    problems.error(path, "a transition needs 'to': a state or 'history'");
    return undefined;
  }
  if (value === HISTORY || names.states[value]) return value;
  if (names.superstates[value]) {
    problems.error(path, `'to' must be a state, and '${value}' is a superstate (which of its states?)`);
  } else problems.error(path, `unknown state '${value}'`);
  return undefined;
}

function compileGuard(value: unknown, path: Path, fields: readonly string[], problems: ProblemList): CompiledGuard | undefined {
  if (!isRecord(value)) {
    problems.error(path, "a guard is {when: <CEL>, message: <text>}");
    return undefined;
  }
  checkKeys(value, ['when', 'message'], path, problems);
  const { when, message } = value;
  if (typeof message !== 'string' || message === '') problems.error([...path, 'message'], 'a guard needs a message (shown when it is false)');
  if (typeof when !== 'string' || when.trim() === '') {
    problems.error([...path, 'when'], "a guard needs 'when': a CEL expression");
    return undefined;
  }
  const compiled = compileGuardExpression(when, fields);
  if (!compiled.ok) {
    problems.error([...path, 'when'], compiled.message);
    return undefined;
  }
  return {
    when,
    message: String(message),
    readsApprovals: compiled.variables.includes('approvals'),
    test(input) {
      try {
        return compiled.evaluate({ ...input }) === true ? { passed: true } : { passed: false };
      } catch (error) {
        return { passed: false, error: String((error as Error).message ?? error).split('\n')[0] };
      }
    },
  };
}

function compileApproval(value: unknown, path: Path, problems: ProblemList): ApprovalGate | undefined {
  if (!isRecord(value)) {
    problems.error(path, 'an approval is {roles: [...], count: N}');
    return undefined;
  }
  checkKeys(value, ['roles', 'count'], path, problems);
  const roles: Role[] = [];
  if (!Array.isArray(value.roles) || value.roles.length === 0) {
    problems.error([...path, 'roles'], 'an approval needs a non-empty list of roles');
  } else {
    value.roles.forEach((role, index) => {
      if (isRole(role)) roles.push(role);
      else problems.error([...path, 'roles', index], `unknown role '${String(role)}' (roles: ${ROLES.join(', ')})`);
    });
  }
  const count = value.count ?? 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    problems.error([...path, 'count'], "'count' is a whole number of approvals, at least 1");
    return undefined;
  }
  return roles.length > 0 ? { roles, count } : undefined;
}
