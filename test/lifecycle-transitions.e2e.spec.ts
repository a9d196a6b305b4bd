/**
 * Every transition of the three built-in lifecycles over REST, tried from every state: allowed
 * from its from-states, rejected from every other state with 409 invalid_transition naming the
 * state and listing what is allowed, and nothing appended on rejection (the stream is read). The
 * cases are generated from the registered definitions (GET /lifecycles/{name}); the expectations
 * are written by hand from LIFECYCLES.md, so a definition that drifts from the spec fails here.
 */
import { BUILT_IN_TRANSITIONS, BuiltInLifecycle, TransitionTable } from '@trellis/domain/testing/built-in-transitions';
import { startTestServer, TestServer } from './support/server';
import { Client, clientAs, ok, readStream } from './support/trellis';

interface Table extends TransitionTable {
  /** How each state is reached over REST from a new entity. */
  paths: Record<string, string[]>;
}

const PATHS: Record<BuiltInLifecycle, Record<string, string[]>> = {
  project: {
    Draft: [],
    Requirements: ['gather_requirements'],
    Architecture: ['gather_requirements', 'design'],
    Planning: ['gather_requirements', 'design', 'plan'],
    Active: ['gather_requirements', 'design', 'plan', 'activate'],
    Completed: ['gather_requirements', 'design', 'plan', 'activate', 'complete'],
    Archived: ['cancel'],
  },
  sprint: {
    Planning: [],
    Active: ['start'],
    Review: ['start', 'review'],
    Retrospective: ['start', 'review', 'retrospect'],
    Closed: ['cancel'],
  },
  issue: {
    Backlog: [],
    Ready: ['ready'],
    InProgress: ['ready', 'start'],
    InReview: ['ready', 'start', 'submit'],
    Testing: ['ready', 'start', 'submit', 'accept_review'],
    Done: ['ready', 'start', 'submit', 'accept_review', 'pass_tests'],
    Blocked: ['ready', 'block'],
    Abandoned: ['abandon'],
  },
};

const TABLES = Object.fromEntries(
  (Object.keys(BUILT_IN_TRANSITIONS) as BuiltInLifecycle[]).map((name) => [name, { ...BUILT_IN_TRANSITIONS[name], paths: PATHS[name] }]),
) as Record<BuiltInLifecycle, Table>;

const PATH = { project: 'projects', sprint: 'sprints', issue: 'issues' } as const;
const PR_URL = 'https://git.example.com/trellis/pull/7';
/** What every attempt carries, so that only the current state decides. */
const request = (transition: string) => ({ transition, reason: 'as planned', ...(transition === 'submit' ? { data: { pr_url: PR_URL } } : {}) });

describe('built-in lifecycles over REST: every transition from every state (e2e)', () => {
  let server: TestServer;
  let alice: Client;
  let sam: Client;
  let projectId: string;

  beforeAll(async () => {
    server = await startTestServer();
    alice = await clientAs(server, 'alice', { '*': ['member'] });
    // Sam approves what the gates ask for: the sponsor's, product owner's and reviewer's calls.
    sam = await clientAs(server, 'sam', { '*': ['sponsor', 'product-owner', 'reviewer'] });
    projectId = ok(await alice.post('/projects', { key: 'MTX', name: 'Matrix' }), 201).id;
  });
  afterAll(() => server.close());

  /** Fires a transition; a gated one is approved by Sam, so it happens. */
  async function fire(lifecycle: keyof typeof TABLES, id: string, transition: string): Promise<void> {
    const res = await alice.post(`/${PATH[lifecycle]}/${id}/transitions`, request(transition));
    if (res.status === 202) ok(await sam.post(`/${PATH[lifecycle]}/${id}/approvals`, { transition, decision: 'approve' }), 200);
    else ok(res, 200);
  }

  async function create(lifecycle: keyof typeof TABLES): Promise<string> {
    if (lifecycle === 'project') return ok(await alice.post('/projects', { key: 'PRJ', name: 'A project' }), 201).id;
    if (lifecycle === 'issue') return ok(await alice.post(`/projects/${projectId}/issues`, { title: 'Fix it', points: 3, assignee: 'bob' }), 201).id;
    // A sprint can only start with an issue in its scope.
    const sprint = ok(await alice.post(`/projects/${projectId}/sprints`, { name: 'Sprint' }), 201).id;
    const issue = ok(await alice.post(`/projects/${projectId}/issues`, { title: 'In scope' }), 201).id;
    ok(await alice.post(`/sprints/${sprint}/scope`, { issueId: issue }), 200);
    return sprint;
  }

  async function placedIn(lifecycle: keyof typeof TABLES, state: string): Promise<string> {
    const id = await create(lifecycle);
    for (const step of TABLES[lifecycle].paths[state]) await fire(lifecycle, id, step);
    expect(ok(await alice.get(`/${PATH[lifecycle]}/${id}`)).state).toBe(state);
    return id;
  }

  describe.each(Object.keys(TABLES) as Array<keyof typeof TABLES>)('%s', (lifecycle) => {
    const table = TABLES[lifecycle];

    it('is registered with exactly the states and transitions of the table', async () => {
      const definition = ok(await alice.get(`/lifecycles/${lifecycle}`));
      expect(definition.states.map((s: { name: string }) => s.name)).toEqual(Object.keys(table.allowed));
      expect(definition.transitions.map((t: { name: string }) => t.name).sort()).toEqual(Object.keys(table.targets).sort());
    });

    it.each(Object.keys(table.allowed))('from %s: the allowed transitions happen, every other is rejected and appends nothing', async (state) => {
      const definition = ok(await alice.get(`/lifecycles/${lifecycle}`));
      const transitions: string[] = definition.transitions.map((t: { name: string }) => t.name);

      const stuck = await placedIn(lifecycle, state);
      const stream = `${lifecycle}-${stuck}`;
      const before = await readStream(server, stream);
      for (const transition of transitions.filter((t) => !table.allowed[state].includes(t))) {
        const res = await alice.post(`/${PATH[lifecycle]}/${stuck}/transitions`, request(transition));
        expect({ transition, status: res.status, error: res.json.error }).toEqual({
          transition,
          status: 409,
          error: { code: 'invalid_transition', message: `'${transition}' is not allowed from ${state}`, details: { state, allowed: table.allowed[state] } },
        });
      }
      expect((await readStream(server, stream)).map((e) => e.id)).toEqual(before.map((e) => e.id));

      for (const transition of table.allowed[state]) {
        const id = await placedIn(lifecycle, state);
        const target = table.targets[transition];
        const res = await alice.post(`/${PATH[lifecycle]}/${id}/transitions`, request(transition));
        if (target.startsWith('approval:')) {
          expect({ transition, status: res.status }).toEqual({ transition, status: 202 });
          expect(res.json).toMatchObject({ state, pendingApproval: { transition, from: state, to: target.slice('approval:'.length), requestedBy: 'alice' } });
        } else {
          expect({ transition, status: res.status, state: res.json.state }).toEqual({ transition, status: 200, state: target });
          const events = await readStream(server, `${lifecycle}-${id}`);
          const transitioned = events.filter((e) => e.type.endsWith('Transitioned')).pop();
          expect(transitioned?.data).toMatchObject({ transition, from: state, to: target, actor: 'alice' });
          expect(res.json.version).toBe(events.length);
        }
      }
    });
  });
});
