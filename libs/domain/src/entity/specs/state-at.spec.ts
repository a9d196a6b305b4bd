/** GET .../state?at= / ?revision=: the state folded up to a point of the stream. */
import { stateAt } from '../../state-at';
import type { EntityEvent } from '../events';
import { as, create, decider, given, transition } from './fixtures';

/** An issue walked through 20 transitions, one per minute. */
function twentyTransitions(): EntityEvent[] {
  const loop = ['ready', 'start', 'block', 'unblock', 'submit', 'request_changes', 'submit', 'accept_review'];
  const events: EntityEvent[] = [...given().when(create('issue', { title: 'Long road', points: 2, assignee: 'bob' }, as('alice', ['member'], 0))).accepted().events];
  let minute = 1;
  const step = (name: string, extra = {}) => {
    events.push(...given(events).when(transition(name, { reason: 'r', ...extra }, as('alice', ['member'], minute++))).accepted().events);
  };
  for (const name of loop.slice(0, -1)) step(name, name === 'submit' ? { data: { pr_url: 'https://x.example/pr/1' } } : {});
  // Then around the fail/reopen loops until 20 transitions are in.
  step('accept_review');
  events.push(...given(events).when({ type: 'DecideApproval', transition: 'accept_review', decision: 'approve', ...as('rita', ['reviewer'], minute++) }).accepted().events);
  while (events.filter((e) => e.type === 'IssueTransitioned').length < 20) {
    const state = events.reduce(decider.evolve, decider.initialState()).state;
    if (state === 'Testing') step('pass_tests');
    else if (state === 'Done') step('reopen');
    else if (state === 'InProgress') step('block');
    else if (state === 'Blocked') step('unblock');
  }
  return events;
}

describe('stateAt', () => {
  const events = twentyTransitions();
  const recorded = events.map((e, revision) => ({ ...e, revision }));

  it('has 20 transitions to fold', () => {
    expect(events.filter((e) => e.type === 'IssueTransitioned')).toHaveLength(20);
  });

  it('folds up to each revision', () => {
    for (let revision = 0; revision < recorded.length; revision++) {
      const expected = recorded.slice(0, revision + 1).reduce(decider.evolve, decider.initialState());
      expect(stateAt(decider, recorded, { revision })).toEqual(expected);
    }
  });

  it('folds up to a time: each transition is visible from its minute on, not before', () => {
    for (const [index, event] of recorded.entries()) {
      if (event.type !== 'IssueTransitioned') continue;
      const to = (event.data as { to: string }).to;
      const at = event.metadata.occurredAt;
      expect(stateAt(decider, recorded, { at }).state).toBe(to);
      const justBefore = new Date(Date.parse(at) - 1).toISOString();
      expect(stateAt(decider, recorded, { at: justBefore }).version).toBeLessThan(index);
    }
  });

  it('before the first event there is no entity', () => {
    expect(stateAt(decider, recorded, { at: '2000-01-01T00:00:00Z' }).exists).toBe(false);
  });
});
