/**
 * `states:` and `superstates:` (LIFECYCLES.md, the example). A superstate is a name for a set of
 * states; a transition from it applies to each of them, which is how `block` leaves any active
 * state with one line.
 */
import { HISTORY, type CompiledState } from '../lifecycle';
import type { ProblemList } from '../problems';
import { compilePropertiesSchema } from '../schema';
import { checkKeys, isRecord, NAME, readMap, readNames } from './shape';

const STATE_KEYS = ['final', 'data', 'description'];

export function compileStates(section: unknown, problems: ProblemList): Record<string, CompiledState> {
  const states: Record<string, CompiledState> = {};
  const entries = Object.entries(readMap(section, ['states'], problems));
  if (entries.length === 0) problems.error(['states'], 'a lifecycle needs at least one state');
  for (const [name, raw] of entries) {
    const path = ['states', name];
    if (!NAME.test(name) || name === HISTORY) {
      problems.error(path, `'${name}' cannot name a state (letters, digits, _; not 'history')`);
      continue;
    }
    const body = raw ?? {};
    if (!isRecord(body)) {
      problems.error(path, 'expected a map, e.g. {} or {final: true}');
      continue;
    }
    checkKeys(body, STATE_KEYS, path, problems);
    if (body.final !== undefined && typeof body.final !== 'boolean') problems.error([...path, 'final'], "'final' is true or false");
    const data = body.data === undefined ? undefined : compilePropertiesSchema(body.data, [...path, 'data'], problems);
    states[name] = { name, final: body.final === true, data, superstates: [] };
  }
  return states;
}

export function compileSuperstates(
  section: unknown,
  states: Record<string, CompiledState>,
  problems: ProblemList,
): Record<string, string[]> {
  const superstates: Record<string, string[]> = {};
  for (const [name, raw] of Object.entries(readMap(section, ['superstates'], problems))) {
    const path = ['superstates', name];
    if (!NAME.test(name) || name === HISTORY) {
      problems.error(path, `'${name}' cannot name a superstate (letters, digits, _; not 'history')`);
      continue;
    }
    // One name, one meaning: `from: X` must not be ambiguous between a state and a superstate.
    if (states[name]) {
      problems.error(path, `duplicate name '${name}': already a state`);
      continue;
    }
    if (!Array.isArray(raw) || raw.length === 0) {
      problems.error(path, 'expected a non-empty list of states');
      continue;
    }
    const members: string[] = [];
    readNames(raw, path, problems).forEach((member, index) => {
      if (!states[member]) problems.error([...path, index], `unknown state '${member}' in superstate '${name}'`);
      else if (members.includes(member)) problems.error([...path, index], `duplicate name '${member}' in superstate '${name}'`);
      else members.push(member);
    });
    superstates[name] = members;
    for (const member of members) states[member].superstates.push(name);
  }
  return superstates;
}
