/** Guards, required reasons and state data (LIFECYCLES.md, Semantics). */
import { as, create, event, FIELDS, given, placedIn, PR_URL, transition } from './fixtures';

describe('guards', () => {
  it('a sprint cannot start with an empty scope: guard_failed with the guard message', () => {
    given(placedIn('sprint', ['Planning'])).when(transition('start')).then({
      error: 'guard_failed',
      message: 'add at least one issue to the sprint first',
      details: { transition: 'start', guard: 'size(entity.scope) > 0' },
    });
  });

  it('a sprint with an issue in scope may ask to start', () => {
    const scoped = [...placedIn('sprint', ['Planning']), event('sprint', 'IssueAdded', { issueId: 'issue-1', actor: 'po' })];
    given(scoped).when(transition('start')).then([{ type: 'SprintApprovalRequested', data: { transition: 'start', to: 'Active' } }]);
  });

  it('an issue cannot start unassigned', () => {
    const { assignee: _none, ...unassigned } = FIELDS.issue;
    given(placedIn('issue', ['Ready'], unassigned)).when(transition('start')).then({
      error: 'guard_failed',
      message: 'assign the issue first',
    });
  });

  it('an issue cannot be ready unestimated, and can once estimated', () => {
    const created = given().when(create('issue', { title: 'Fix the login' })).then([{ type: 'IssueCreated' }]).events;
    given(created).when(transition('ready')).then({ error: 'guard_failed', message: 'estimate the issue first' });
    const estimated = given(created).when({ type: 'ChangeFields', fields: { points: 5 }, ...as('alice') }).then([{}]).events;
    given([...created, ...estimated]).when(transition('ready')).then([{ type: 'IssueTransitioned', data: { from: 'Backlog', to: 'Ready' } }]);
  });
});

describe('required reasons', () => {
  it.each([undefined, '', '   '])('block without a reason (%p) is rejected naming the reason', (reason) => {
    given(placedIn('issue', ['InProgress'])).when(transition('block', reason === undefined ? {} : { reason })).then({
      error: 'validation_failed',
      details: { violations: [{ path: 'reason', message: 'a non-empty reason is required' }] },
    });
  });

  it('the reason is recorded on the transition', () => {
    given(placedIn('issue', ['InProgress'])).when(transition('block', { reason: 'waiting for the API team' })).then([
      { type: 'IssueTransitioned', data: { transition: 'block', reason: 'waiting for the API team' } },
    ]);
  });
});

describe('state data', () => {
  it('entering InReview without pr_url is rejected naming pr_url', () => {
    given(placedIn('issue', ['InProgress'])).when(transition('submit')).then({
      error: 'validation_failed',
      message: /cannot enter InReview: data\.pr_url 'pr_url' is required/,
      details: { violations: [{ path: 'data.pr_url', message: "'pr_url' is required" }] },
    });
  });

  it('a pr_url that is not a URI is rejected', () => {
    given(placedIn('issue', ['InProgress'])).when(transition('submit', { data: { pr_url: 'not a url' } })).then({
      error: 'validation_failed',
      details: { violations: [{ path: 'data.pr_url', message: 'must match format "uri"' }] },
    });
  });

  it('unknown state data is rejected', () => {
    given(placedIn('issue', ['InProgress'])).when(transition('submit', { data: { pr_url: PR_URL, branch: 'x' } })).then({
      error: 'validation_failed',
      details: { violations: [{ path: 'data.branch', message: "unknown property 'branch'" }] },
    });
  });

  it('a state without a data schema takes no data', () => {
    given(placedIn('issue', ['Backlog'])).when(transition('ready', { data: { note: 'x' } })).then({
      error: 'validation_failed',
      details: { violations: [{ path: 'data.note', message: 'Ready takes no data' }] },
    });
  });

  it('with pr_url the issue is InReview with the data, and the review hook fires once for this entry', () => {
    const history = placedIn('issue', ['InProgress']);
    const { state } = given(history).when(transition('submit', { data: { pr_url: PR_URL } })).then([
      { type: 'IssueTransitioned', data: { from: 'InProgress', to: 'InReview', data: { pr_url: PR_URL } } },
      { type: 'IssueHookTriggered', data: { hook: 0, ref: 'issue.review', input: { issue: 'issue-1' }, state: 'InReview', entry: history.length } },
    ]);
    expect(state).toMatchObject({ state: 'InReview', data: { pr_url: PR_URL } });
  });
});

describe('unknown transitions', () => {
  it('are invalid_transition listing what is allowed', () => {
    given(placedIn('issue', ['Backlog'])).when(transition('teleport')).then({
      error: 'invalid_transition',
      message: "issue has no transition 'teleport'",
      details: { state: 'Backlog', allowed: ['ready', 'block', 'abandon'] },
    });
  });
});
