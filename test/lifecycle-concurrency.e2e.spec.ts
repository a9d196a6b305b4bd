/**
 * Concurrency and time over REST: 50 racing transitions on one issue leave a stream that is a
 * valid path of the lifecycle, with every accepted command in it exactly once; and the state of
 * an entity with 20 transitions can be asked for as of any time, folded from its events.
 */
import type { RecordedEvent } from '@trellis/eventstore';
import { startTestServer, TestServer } from './support/server';
import { API, Client, clientAs, ok, projectWithIssues, readStream } from './support/trellis';

const PR_URL = 'https://git.example.com/trellis/pull/7';

interface TransitionDefinition {
  name: string;
  fromStates: string[];
  to: string;
}

/** Replays the stream's transitions through the registered machine; returns the first impossible step. */
function invalidSteps(events: RecordedEvent[], initial: string, transitions: TransitionDefinition[]): string[] {
  const problems: string[] = [];
  const trail = [initial];
  for (const event of events.filter((e) => e.type === 'IssueTransitioned')) {
    const { transition, from, to } = event.data as { transition: string; from: string; to: string };
    const current = trail[trail.length - 1];
    const definition = transitions.find((t) => t.name === transition);
    // `history`: back to the state before the one being left (the trail holds every state entered).
    const target = definition?.to === 'history' ? trail[trail.length - 2] : definition?.to;
    if (from !== current || !definition?.fromStates.includes(current) || to !== target) {
      problems.push(`revision ${event.revision}: ${transition} ${from}→${to} while in ${current} (expected →${target})`);
    }
    trail.push(to);
  }
  return problems;
}

describe('concurrency and time (e2e)', () => {
  let server: TestServer;
  let alice: Client;
  let projectId: string;

  beforeAll(async () => {
    server = await startTestServer();
    alice = await clientAs(server, 'alice', { '*': ['member', 'reviewer'] });
    projectId = (await projectWithIssues(alice)).project.id;
  });
  afterAll(() => server.close());

  it('keeps 50 concurrent transitions on one issue a valid path: each accepted command once, the rest 409', async () => {
    const issue = ok(await alice.post(`/projects/${projectId}/issues`, { title: 'Raced', points: 5, assignee: 'bob' }), 201);
    ok(await alice.post(`/issues/${issue.id}/transitions`, { transition: 'ready' }));
    const mix: Array<Record<string, unknown>> = [
      { transition: 'block', reason: 'race' },
      { transition: 'unblock' },
      { transition: 'start' },
      { transition: 'submit', data: { pr_url: PR_URL } },
      { transition: 'request_changes', reason: 'race' },
    ];
    const requests = Array.from({ length: 50 }, (_, i) => ({ id: `race-${i}`, body: mix[(i * 7) % mix.length] }));
    const responses = await Promise.all(
      requests.map(({ id, body }) => server.send('POST', `${API}/issues/${issue.id}/transitions`, { token: alice.token, body, headers: { 'x-request-id': id } })),
    );

    const accepted = requests.filter((_, i) => responses[i].status === 200).map((r) => r.id);
    const rejected = responses.filter((r) => r.status !== 200);
    expect(accepted.length).toBeGreaterThan(0);
    expect(rejected.length).toBeGreaterThan(0);
    for (const r of rejected) {
      expect(r.status).toBe(409);
      expect(r.json.error.code).toBe('invalid_transition');
    }

    const events = await readStream(server, `issue-${issue.id}`);
    // After the set-up `ready`: every accepted command exactly once, and nothing from a rejected one.
    const [setup, ...raced] = events.filter((e) => e.type === 'IssueTransitioned').map((e) => e.metadata.correlationId);
    expect(setup.startsWith('race-')).toBe(false);
    expect([...raced].sort()).toEqual([...accepted].sort());

    const lifecycle = ok(await alice.get('/lifecycles/issue'));
    expect(invalidSteps(events, lifecycle.initial, lifecycle.transitions)).toEqual([]);
    const final = ok(await alice.get(`/issues/${issue.id}`));
    expect(final.version).toBe(events.length);
    expect(final.state).toBe((events.filter((e) => e.type === 'IssueTransitioned').pop()!.data as { to: string }).to);
  });

  it('answers state?at= for an issue with 20 transitions with the state as of each recorded time', async () => {
    const reviewer = await clientAs(server, 'rex', { [projectId]: ['reviewer'] });
    const issue = ok(await alice.post(`/projects/${projectId}/issues`, { title: 'Travelled', points: 2, assignee: 'bob' }), 201);
    const steps = ['ready', 'start', 'submit', 'request_changes', 'block', 'unblock', 'submit', 'accept_review', 'fail_tests', 'submit', 'block', 'unblock', 'request_changes', 'submit', 'accept_review', 'pass_tests', 'reopen', 'block', 'unblock', 'submit'];
    for (const transition of steps) {
      const res = await alice.post(`/issues/${issue.id}/transitions`, { transition, reason: 'because', ...(transition === 'submit' ? { data: { pr_url: PR_URL } } : {}) });
      if (res.status === 202) ok(await reviewer.post(`/issues/${issue.id}/approvals`, { transition, decision: 'approve' }));
      else ok(res);
      await new Promise((resolve) => setTimeout(resolve, 3)); // distinct clock readings
    }

    const events = await readStream(server, `issue-${issue.id}`);
    const transitions = events.filter((e) => e.type === 'IssueTransitioned');
    expect(transitions).toHaveLength(20);
    const expectedAt = (at: string) => {
      const upTo = events.filter((e) => Date.parse(e.metadata.occurredAt) <= Date.parse(at));
      const last = upTo.filter((e) => e.type === 'IssueTransitioned').pop();
      return { state: last ? (last.data as { to: string }).to : 'Backlog', version: upTo.length };
    };

    for (const event of [transitions[0], transitions[4], transitions[7], transitions[12], transitions[19]]) {
      const at = event.metadata.occurredAt;
      const res = ok(await alice.get(`/issues/${issue.id}/state?at=${encodeURIComponent(at)}`));
      expect({ at, state: res.state, version: res.version }).toEqual({ at, ...expectedAt(at) });
      // Just before that transition, the issue was still where it came from.
      const before = new Date(Date.parse(at) - 1).toISOString();
      expect(ok(await alice.get(`/issues/${issue.id}/state?at=${before}`)).state).toBe(expectedAt(before).state);
    }
    // By revision: right after the 8th event.
    expect(ok(await alice.get(`/issues/${issue.id}/state?revision=7`))).toMatchObject({ version: 8 });
    const created = events[0].metadata.occurredAt;
    expect((await alice.get(`/issues/${issue.id}/state?at=${new Date(Date.parse(created) - 1000).toISOString()}`)).status).toBe(404);
    expect((await alice.get(`/issues/${issue.id}/state?revision=999`)).status).toBe(404);
    expect((await alice.get(`/issues/${issue.id}/state`)).status).toBe(400);
    expect((await alice.get(`/issues/${issue.id}/state?at=yesterday`)).status).toBe(400);

    const page1 = ok(await alice.get(`/issues/${issue.id}/history?limit=10`));
    const page2 = ok(await alice.get(`/issues/${issue.id}/history?after=${page1.next}&limit=100`));
    expect([...page1.events, ...page2.events].map((e: { id: string }) => e.id)).toEqual(events.map((e) => e.id));
    expect(page2.next).toBeNull();
  });
});
