/**
 * Every transition of the three built-in lifecycles, tried from every state: allowed from its
 * from-states, rejected with invalid_transition (naming the state and what is allowed) from all
 * others. The cases are generated from the definitions; the expectations are written by hand from
 * LIFECYCLES.md, so a definition that drifts from the spec fails here.
 */
import { entityEventType } from '../events';
import { BUILT_IN_TRANSITIONS, BuiltInLifecycle, TransitionTable } from '../../testing/built-in-transitions';
import { event, given, lifecycles, placedIn, PR_URL, transition } from './fixtures';

interface Table extends TransitionTable {
  /** How each state is reached in the given events (history targets look back through it). */
  paths?: Record<string, string[]>;
}

const TABLES: Record<BuiltInLifecycle, Table> = {
  ...BUILT_IN_TRANSITIONS,
  // Blocked while Ready, so `unblock` (to: history) must lead back to Ready.
  issue: { ...BUILT_IN_TRANSITIONS.issue, paths: { Blocked: ['Ready', 'Blocked'] } },
};

/** State data a target needs (LIFECYCLES.md: InReview takes a pr_url). */
const DATA: Record<string, Record<string, unknown>> = { InReview: { pr_url: PR_URL } };

describe.each(Object.entries(TABLES))('the %s lifecycle', (name, table) => {
  const lifecycle = lifecycles[name as keyof typeof TABLES];
  const Entity = lifecycle.entityType;

  it('has exactly the states and transitions of the table', () => {
    expect(Object.keys(lifecycle.states)).toEqual(Object.keys(table.allowed));
    expect(Object.keys(lifecycle.transitions).sort()).toEqual(Object.keys(table.targets).sort());
  });

  const cases = Object.keys(table.allowed).flatMap((state) => Object.keys(table.targets).map((t) => [state, t] as const));

  it.each(cases)(`from %s, %s`, (state, name) => {
    const path = table.paths?.[state] ?? [state];
    const scope = lifecycle.name === 'sprint' ? [event('sprint', 'IssueAdded', { issueId: 'issue-9', actor: 'setup' }, 30)] : [];
    const history = [...placedIn(lifecycle.name, path, undefined, DATA), ...scope];
    const command = transition(name, { reason: 'as planned', ...(DATA[table.targets[name]] ? { data: DATA[table.targets[name]] } : {}) });

    if (!table.allowed[state].includes(name)) {
      given(history).when(command).then({
        error: 'invalid_transition',
        message: `'${name}' is not allowed from ${state}`,
        details: { state, allowed: table.allowed[state] },
      });
      return;
    }
    const target = table.targets[name];
    if (target.startsWith('approval:')) {
      given(history).when(command).then([
        { type: `${Entity}ApprovalRequested`, data: { transition: name, from: state, to: target.slice('approval:'.length), actor: 'alice' } },
      ]);
    } else {
      const { events, state: after } = given(history).when(command).then([
        { type: entityEventType(lifecycle.name, 'Transitioned'), data: { transition: name, from: state, to: target, actor: 'alice', approvals: [] } },
        ...hookAndReleaseEvents(lifecycle.name, target),
      ]);
      expect(after.state).toBe(target);
      expect(events[0].metadata).toEqual({ actor: 'alice', occurredAt: expect.any(String) });
    }
  });
});

/** What else entering `target` sets off in the built-ins: the review hook, a closing sprint's release. */
function hookAndReleaseEvents(lifecycle: string, target: string): unknown[] {
  if (lifecycle === 'issue' && target === 'InReview') return [{ type: 'IssueHookTriggered', data: { ref: 'issue.review', input: { issue: 'issue-1' } } }];
  if (lifecycle === 'sprint' && target === 'Closed') return [{ type: 'SprintIssuesReleased', data: { issueIds: ['issue-9'] } }];
  return [];
}
