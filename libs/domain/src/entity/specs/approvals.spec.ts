/** Approval gates (LIFECYCLES.md, Semantics), on the project's `activate` and the sprint's `start`. */
import { approve, as, event, given, placedIn, reject, transition } from './fixtures';

const alice = as('alice', ['member'], 10);
const mallory = as('mallory', ['member', 'reviewer'], 11);
const sam = as('sam', ['sponsor'], 12);
const sara = as('sara', ['sponsor'], 13);

describe('project activate needs a sponsor', () => {
  const planning = placedIn('project', ['Planning']);

  it('the first request records a pending approval and does not transition', () => {
    const { state } = given(planning).when(transition('activate', {}, alice)).then([
      {
        type: 'ProjectApprovalRequested',
        data: { transition: 'activate', from: 'Planning', to: 'Active', roles: ['sponsor'], count: 1, actor: 'alice' },
        metadata: { actor: 'alice' },
      },
    ]);
    expect(state.state).toBe('Planning');
    expect(state.pendingApprovals).toEqual([
      expect.objectContaining({ transition: 'activate', requestedBy: 'alice', requestedAt: alice.occurredAt, approvals: [] }),
    ]);
  });

  const requested = () => [...planning, ...given(planning).when(transition('activate', {}, alice)).then([{}]).events];

  it('asking again while pending appends nothing', () => {
    given(requested()).when(transition('activate', {}, as('bob'))).then([]);
  });

  it('a non-sponsor cannot approve: forbidden', () => {
    given(requested()).when(approve('activate', mallory)).then({
      error: 'forbidden',
      message: "approving 'activate' needs one of the roles: sponsor",
      details: { roles: ['sponsor'] },
    });
  });

  it('the requester cannot approve their own request, even holding the role: forbidden', () => {
    given(requested()).when(approve('activate', as('alice', ['sponsor'], 12))).then({
      error: 'forbidden',
      message: "alice requested 'activate' and cannot approve their own request",
    });
  });

  it('a sponsor approves: the project is Active, and the stream records request, approval and transition with actors', () => {
    const before = requested();
    const { events, state } = given(before).when(approve('activate', sam, 'go')).then([
      { type: 'ProjectApprovalGranted', data: { transition: 'activate', actor: 'sam', comment: 'go' }, metadata: { actor: 'sam' } },
      {
        type: 'ProjectTransitioned',
        data: { transition: 'activate', from: 'Planning', to: 'Active', actor: 'alice', approvals: [{ actor: 'sam', comment: 'go' }] },
        metadata: { actor: 'sam', occurredAt: sam.occurredAt },
      },
    ]);
    expect(state).toMatchObject({ state: 'Active', pendingApprovals: [] });
    const story = [...before, ...events].slice(-3).map((e) => [e.type, e.metadata.actor]);
    expect(story).toEqual([
      ['ProjectApprovalRequested', 'alice'],
      ['ProjectApprovalGranted', 'sam'],
      ['ProjectTransitioned', 'sam'],
    ]);
  });

  it('an admin holds every role (as the access rules say) and may approve', () => {
    given(requested()).when(approve('activate', as('root', ['admin']))).then([{ type: 'ProjectApprovalGranted' }, { type: 'ProjectTransitioned' }]);
  });

  it('a rejection ends the request; a new request starts over', () => {
    const rejected = given(requested()).when(reject('activate', sara, 'budget not signed')).then([
      { type: 'ProjectApprovalRejected', data: { transition: 'activate', actor: 'sara', comment: 'budget not signed' } },
    ]);
    expect(rejected.state.pendingApprovals).toEqual([]);
    const after = [...requested(), ...rejected.events];
    given(after).when(approve('activate', sam)).then({ error: 'not_found', details: { transition: 'activate' } });
    given(after).when(transition('activate', {}, alice)).then([{ type: 'ProjectApprovalRequested' }]);
  });

  it('a non-holder cannot reject, the requester can withdraw', () => {
    given(requested()).when(reject('activate', mallory)).then({ error: 'forbidden' });
    given(requested()).when(reject('activate', alice)).then([{ type: 'ProjectApprovalRejected', data: { actor: 'alice' } }]);
  });

  it('any transition ends a pending request (it was asked against the state it left)', () => {
    const cancelled = given(requested()).when(transition('cancel', { reason: 'funding cut' }, alice)).then([{ type: 'ProjectTransitioned' }]);
    expect(cancelled.state.pendingApprovals).toEqual([]);
  });
});

describe('sprint start needs the product owner and a scope', () => {
  const scoped = [...placedIn('sprint', ['Planning']), event('sprint', 'IssueAdded', { issueId: 'issue-1', actor: 'po' })];
  const po = as('petra', ['product-owner'], 20);

  it('the product owner approves: the sprint is Active', () => {
    const requested = [...scoped, ...given(scoped).when(transition('start', {}, as('sm'))).then([{}]).events];
    given(requested).when(approve('start', po)).then([
      { type: 'SprintApprovalGranted', data: { actor: 'petra' } },
      { type: 'SprintTransitioned', data: { from: 'Planning', to: 'Active', actor: 'sm', approvals: [{ actor: 'petra' }] } },
    ]);
  });

  it('the guard is judged again when the quorum is in: an emptied scope blocks the start', () => {
    const requested = [...scoped, ...given(scoped).when(transition('start', {}, as('sm'))).then([{}]).events];
    const emptied = [...requested, event('sprint', 'IssueRemoved', { issueId: 'issue-1', actor: 'po' })];
    given(emptied).when(approve('start', po)).then({ error: 'guard_failed', message: 'add at least one issue to the sprint first' });
  });
});
