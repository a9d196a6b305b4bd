/**
 * Registration: the built-ins compile clean, and broken definitions are rejected with every
 * problem pointing at its YAML path and line.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { compileLifecycle } from './compile';

const DEFINITIONS = join(__dirname, '../../../../definitions/lifecycles');

describe('the built-in lifecycles', () => {
  it.each(['project', 'sprint', 'issue'])('%s compiles without problems or warnings', (name) => {
    const result = compileLifecycle(readFileSync(join(DEFINITIONS, `${name}.yaml`), 'utf8'));
    expect(result).toMatchObject({ ok: true, warnings: [] });
    if (result.ok) expect(result.lifecycle.name).toBe(name);
  });

  it('issue: the superstate expands, history and guard and approval are compiled', () => {
    const result = compileLifecycle(readFileSync(join(DEFINITIONS, 'issue.yaml'), 'utf8'), { version: 3 });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { lifecycle } = result;
    expect(lifecycle).toMatchObject({ version: 3, entityType: 'Issue', initial: 'Backlog' });
    expect(lifecycle.transitions.block.fromStates).toEqual(['Backlog', 'Ready', 'InProgress', 'InReview', 'Testing']);
    expect(lifecycle.transitions.abandon.fromStates).toEqual(['Backlog', 'Ready', 'InProgress', 'InReview', 'Testing', 'Done', 'Blocked']);
    expect(lifecycle.transitions.unblock.to).toBe('history');
    expect(lifecycle.transitions.accept_review.approval).toEqual({ roles: ['reviewer'], count: 1 });
    expect(lifecycle.states.Abandoned.final).toBe(true);
    expect(lifecycle.states.InReview.data?.required).toEqual(['pr_url']);
    expect(lifecycle.fields.jsonSchema).toEqual({
      type: 'object',
      properties: { title: { type: 'string', minLength: 1 }, points: { type: 'integer', minimum: 0 }, assignee: { type: 'string' } },
      required: ['title'],
      additionalProperties: false,
    });
    const guard = lifecycle.transitions.start.guard!;
    expect(guard.test({ entity: { assignee: 'bob' }, command: {}, approvals: [] })).toEqual({ passed: true });
    expect(guard.test({ entity: {}, command: {}, approvals: [] })).toEqual({ passed: false });
    expect(lifecycle.hooks[0].render({ id: 'issue-7' })).toEqual({ input: { issue: 'issue-7' }, errors: [] });
  });
});

/** A valid definition; each broken case replaces or adds lines, so the expected line is plain to see. */
const BASE = [
  'lifecycle: door', //                                   1
  'initial: Closed', //                                   2
  'fields:', //                                           3
  '  colour: {type: string}', //                          4
  'states:', //                                           5
  '  Closed: {}', //                                      6
  '  Open: {}', //                                        7
  '  Gone: {final: true}', //                             8
  'superstates:', //                                      9
  '  standing: [Closed, Open]', //                        10
  'transitions:', //                                      11
  '  open: {from: Closed, to: Open}', //                  12
  '  close: {from: Open, to: Closed}', //                 13
  '  remove: {from: standing, to: Gone, reason: required}', // 14
];

function broken(edits: Record<number, string>, extra: string[] = []): string {
  const lines = BASE.map((line, index) => edits[index + 1] ?? line);
  return [...lines, ...extra].join('\n');
}

const CASES: Array<[string, string, { path: string; line: number; message: string | RegExp }]> = [
  ['an unknown top-level key', broken({ 9: 'superstate:' }), { path: 'superstate', line: 9, message: /^unknown key 'superstate' \(expected one of: .*superstates/ }],
  ['an unknown key in a transition', broken({ 13: '  close: {from: Open, to: Closed, gaurd: {when: "true", message: m}}' }), { path: 'transitions.close.gaurd', line: 13, message: /^unknown key 'gaurd'/ }],
  ['an unknown state in from', broken({ 13: '  close: {from: Opn, to: Closed}' }), { path: 'transitions.close.from', line: 13, message: "unknown state 'Opn'" }],
  ['an unknown state in to', broken({ 12: '  open:', 13: '    from: Closed', 14: '    to: Ajar' }), { path: 'transitions.open.to', line: 14, message: "unknown state 'Ajar'" }],
  ['an unknown state in a superstate', broken({ 10: '  standing: [Closed, Opened]' }), { path: 'superstates.standing[1]', line: 10, message: "unknown state 'Opened' in superstate 'standing'" }],
  ['an unknown initial state', broken({ 2: 'initial: Shut' }), { path: 'initial', line: 2, message: "unknown state 'Shut'" }],
  ['an unknown state in a hook', broken({}, ['hooks:', '  - on_enter: Opened', '    start_workflow: {ref: door.alarm}']), { path: 'hooks[0].on_enter', line: 16, message: "unknown state 'Opened'" }],
  ['a transition from a final state', broken({}, ['  rebuild: {from: Gone, to: Closed}']), { path: 'transitions.rebuild.from', line: 15, message: "transition from a final state 'Gone'" }],
  ['an unknown role', broken({ 12: '  open: {from: Closed, to: Open, approval: {roles: [member, janitor], count: 1}}' }), { path: 'transitions.open.approval.roles[1]', line: 12, message: /^unknown role 'janitor' \(roles: viewer, member/ }],
  ['a guard that does not parse', broken({}, ['  slam:', '    from: Open', '    to: Closed', '    guard: {when: "entity.colour ==", message: "no"}']), { path: 'transitions.slam.guard.when', line: 18, message: /^expression does not compile: / }],
  ['a guard over an unknown variable', broken({ 12: '  open: {from: Closed, to: Open, guard: {when: "door.locked == false", message: "locked"}}' }), { path: 'transitions.open.guard.when', line: 12, message: 'expression does not compile: Unknown variable: door' }],
  ['a guard over a field that does not exist', broken({ 12: '  open: {from: Closed, to: Open, guard: {when: "has(entity.color)", message: "paint it"}}' }), { path: 'transitions.open.guard.when', line: 12, message: 'entity.color does not exist (fields: colour)' }],
  ['a guard that is not a condition', broken({ 12: '  open: {from: Closed, to: Open, guard: {when: "size(entity.colour)", message: "m"}}' }), { path: 'transitions.open.guard.when', line: 12, message: 'a guard must be a bool expression, this one is int' }],
  ['a misspelt schema keyword', broken({ 4: '  colour: {type: string, requird: true}' }), { path: 'fields.colour.requird', line: 4, message: "unknown schema keyword 'requird'" }],
  ['a schema ajv rejects', broken({ 4: '  colour: {type: string, format: colourish}' }), { path: 'fields.colour', line: 4, message: /^bad schema: unknown format "colourish"/ }],
  ['a bad pattern', broken({ 4: '  colour: {type: string, pattern: "(red"}' }), { path: 'fields.colour', line: 4, message: /^bad schema: Invalid regular expression/ }],
  ['a bad type in state data', broken({ 7: '  Open: {data: {angle: {type: angle}}}' }), { path: 'states.Open.data.angle.type', line: 7, message: "'type' is one of string, integer, number, boolean, object, array, null" }],
  ['a duplicate state', broken({ 8: '  Open: {final: true}' }), { path: 'states.Open', line: 8, message: "duplicate name 'Open' in states" }],
  ['a superstate named like a state', broken({ 10: '  Open: [Closed]' }), { path: 'superstates.Open', line: 10, message: "duplicate name 'Open': already a state" }],
  ['a superstate as a target', broken({ 13: '  close: {from: Open, to: standing}' }), { path: 'transitions.close.to', line: 13, message: "'to' must be a state, and 'standing' is a superstate (which of its states?)" }],
  ['a reason that is neither required nor optional', broken({ 14: '  remove: {from: standing, to: Gone, reason: mandatory}' }), { path: 'transitions.remove.reason', line: 14, message: "'reason' is 'required' or 'optional'" }],
  ['a reserved field name', broken({ 4: '  state: {type: string}' }), { path: 'fields.state', line: 4, message: /^'state' is reserved for the entity/ }],
  ['an approval count of zero', broken({ 12: '  open: {from: Closed, to: Open, approval: {roles: [sponsor], count: 0}}' }), { path: 'transitions.open.approval.count', line: 12, message: "'count' is a whole number of approvals, at least 1" }],
  ['a hook template that does not compile', broken({}, ['hooks:', '  - on_enter: Open', '    start_workflow: {ref: door.alarm, input: {who: "{{ entity.colour + }}"}}']), { path: 'hooks[0].start_workflow.input.who', line: 17, message: /^expression does not compile/ }],
  ['broken YAML', broken({ 12: '  open: {from: Closed, to: Open' }), { path: '', line: 13, message: /^YAML: / }],
  ['a missing lifecycle name', broken({ 1: 'name: door' }), { path: 'lifecycle', line: 1, message: "a definition starts with 'lifecycle: <name>'" }],
];

describe('broken definitions', () => {
  it('the base definition itself is fine', () => {
    expect(compileLifecycle(BASE.join('\n'))).toMatchObject({ ok: true, warnings: [] });
  });

  it.each(CASES)('%s', (_title, source, expected) => {
    const result = compileLifecycle(source);
    if (result.ok) throw new Error('expected the definition to be rejected');
    expect(result.problems).toContainEqual({
      path: expected.path,
      line: expected.line,
      message: typeof expected.message === 'string' ? expected.message : expect.stringMatching(expected.message),
      severity: 'error',
    });
  });

  it('reports every problem at once, in file order', () => {
    const result = compileLifecycle(broken({ 2: 'initial: Shut', 13: '  close: {from: Opn, to: Closed}' }, ['  rebuild: {from: Gone, to: Closed}']));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.line)).toEqual([2, 13, 15]);
  });
});

describe('warnings', () => {
  it('an unreachable state is a warning, not a rejection', () => {
    const result = compileLifecycle(broken({}, ['  # nothing leads to Attic']).replace('  Gone: {final: true}', '  Gone: {final: true}\n  Attic: {}'));
    expect(result).toMatchObject({
      ok: true,
      warnings: [{ path: 'states.Attic', line: 9, message: "unreachable state 'Attic': no transition leads to it from 'Closed'", severity: 'warning' }],
    });
  });
});
