/**
 * A lifecycle an admin registers (LIFECYCLES.md: "a pull request"): same engine, same decider.
 * This one has a superstate, a two-approver gate with a guard over the approvals, a history
 * target out of a superstate and a hook with templated input.
 */
import { deciderSpec } from '../../testing/given-when-then';
import { entityDecider, lifecycleResolver } from '../entity.decider';
import type { EntityEvent } from '../events';
import { approve, as, compileOrThrow, create, transition } from './fixtures';

const PULL_REQUEST = `
lifecycle: pull-request
initial: Draft
fields:
  title:  {type: string, minLength: 1, required: true}
  branch: {type: string, pattern: "^[a-z0-9/-]+$", required: true}
  author: {type: string, required: true}
states:
  Draft: {}
  Open: {}
  ChangesRequested: {}
  Approved: {}
  Merged: {data: {commit: {type: string, minLength: 7, required: true}}}
  OnHold: {}
  Closed: {final: true}
superstates:
  in_review: [Open, ChangesRequested, Approved]
transitions:
  open:     {from: Draft, to: Open}
  request_changes: {from: Open, to: ChangesRequested, reason: required}
  push:     {from: ChangesRequested, to: Open}
  approve:
    from: Open
    to: Approved
    approval: {roles: [reviewer], count: 2}
    guard: {when: "approvals.all(a, a.actor != entity.author)", message: "the author cannot review"}
  merge:    {from: Approved, to: Merged}
  hold:     {from: in_review, to: OnHold, reason: required}
  resume:   {from: OnHold, to: history}
  close:    {from: [Draft, in_review, OnHold], to: Closed, reason: required}
hooks:
  - on_enter: in_review
    start_workflow: {ref: ci.pipeline, input: {branch: "{{ entity.branch }}", title: "PR {{ entity.id }}: {{ entity.title }}"}}
`;

const pr = compileOrThrow(PULL_REQUEST);
const { given } = deciderSpec(entityDecider(lifecycleResolver([pr])));

function run(commands: Parameters<ReturnType<typeof given>['when']>[0][]): EntityEvent[] {
  const events: EntityEvent[] = [];
  for (const command of commands) events.push(...given(events).when(command).accepted().events);
  return events;
}

describe('a pull-request lifecycle', () => {
  const opened = () => run([
    create('pull-request', { title: 'Add login', branch: 'feat/login', author: 'ada' }, as('ada'), 'pr-1'),
    transition('open', {}, as('ada')),
  ]);

  it('names its events after the entity and fires the superstate hook once on entering it', () => {
    const events = opened();
    expect(events.map((e) => e.type)).toEqual(['PullRequestCreated', 'PullRequestTransitioned', 'PullRequestHookTriggered']);
    expect(events[2].data).toEqual({ hook: 0, ref: 'ci.pipeline', input: { branch: 'feat/login', title: 'PR pr-1: Add login' }, state: 'Open', entry: 1 });
    // Moving inside the superstate is not entering it again.
    const changes = given(events).when(transition('request_changes', { reason: 'tests' })).then([{ type: 'PullRequestTransitioned' }]);
    expect(changes.events).toHaveLength(1);
  });

  it('needs two distinct reviewers, not the author, to approve', () => {
    const requested = [...opened(), ...given(opened()).when(transition('approve', {}, as('ada'))).then([{ type: 'PullRequestApprovalRequested' }]).events];
    const first = given(requested).when(approve('approve', as('rex', ['reviewer']))).then([{ type: 'PullRequestApprovalGranted' }]);
    const once = [...requested, ...first.events];
    given(once).when(approve('approve', as('rex', ['reviewer']))).then([]);
    given(once).when(approve('approve', as('vic', ['member']))).then({ error: 'forbidden' });
    const second = given(once).when(approve('approve', as('ria', ['reviewer']))).then([
      { type: 'PullRequestApprovalGranted' },
      { type: 'PullRequestTransitioned', data: { to: 'Approved', approvals: [{ actor: 'rex' }, { actor: 'ria' }] } },
    ]);
    expect(second.state.state).toBe('Approved');
  });

  it('runs the guard over the approvals once they are in', () => {
    const events = run([
      create('pull-request', { title: 'Add login', branch: 'feat/login', author: 'ada' }, as('bob'), 'pr-1'),
      transition('open', {}, as('bob')),
      transition('approve', {}, as('bob')),
      approve('approve', as('ada', ['reviewer'])),
    ]);
    given(events).when(approve('approve', as('ria', ['reviewer']))).then({ error: 'guard_failed', message: 'the author cannot review' });
  });

  it('holds from any review state and resumes exactly there; merge needs the commit', () => {
    const changesRequested = [...opened(), ...given(opened()).when(transition('request_changes', { reason: 'tests' })).then([{}]).events];
    const held = [...changesRequested, ...given(changesRequested).when(transition('hold', { reason: 'release freeze' })).then([{}]).events];
    // Back into the superstate, so its hook fires again: a new entry, a new CI run.
    given(held).when(transition('resume')).then([{ data: { from: 'OnHold', to: 'ChangesRequested' } }, { type: 'PullRequestHookTriggered' }]);
    given(held).when(transition('merge')).then({ error: 'invalid_transition', details: { state: 'OnHold', allowed: ['resume', 'close'] } });
  });

  it('merges only with the commit in the state data', () => {
    const approved = run([
      create('pull-request', { title: 'Add login', branch: 'feat/login', author: 'ada' }, as('ada'), 'pr-1'),
      transition('open', {}, as('ada')),
      transition('approve', {}, as('ada')),
      approve('approve', as('rex', ['reviewer'])),
      approve('approve', as('ria', ['reviewer'])),
    ]);
    given(approved).when(transition('merge')).then({ error: 'validation_failed', details: { violations: [{ path: 'data.commit' }] } });
    given(approved).when(transition('merge', { data: { commit: '9fceb02' } })).then([{ data: { to: 'Merged', data: { commit: '9fceb02' } } }]);
  });
});
