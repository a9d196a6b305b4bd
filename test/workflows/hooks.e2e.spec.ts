/**
 * Lifecycle hooks start workflows, and workflows move entities (WORKFLOWS.md, core.transition;
 * LIFECYCLES.md, hooks): an issue entering InReview starts issue.review exactly once per entry,
 * and the review sends the issue back with core.transition when its checks fail.
 */
import { TrellisWorker } from '@trellis/runtime';
import { startTestServer, type TestServer } from '../support/server';
import { client, ok, projectWithIssues, type Client } from '../support/trellis';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('lifecycle hooks and core.transition', () => {
  let server: TestServer;
  let admin: Client;
  let worker: TrellisWorker;
  const checked: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    admin = client(server, server.adminToken);
    worker = new TrellisWorker({ url: server.baseUrl, token: admin.token, name: 'ci', waitMs: 1000 });
    worker.register('ci.checks', async (input: { issue: string }) => {
      checked.push(input.issue);
      return { passed: false };
    });
    await worker.start();
  });
  afterAll(async () => {
    await worker.stop();
    await server.close();
  });

  const reviews = async (issue: string) => ok(await admin.get(`/executions?workflow=issue.review&issue=${issue}`)).executions;

  async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await sleep(20);
    }
  }

  it('starts issue.review once per entry into InReview, and the workflow sends the issue back', async () => {
    const { issues } = await projectWithIssues(admin, [{ title: 'Hooked', points: 3, assignee: 'ann' }], 'HOOK');
    const issue = issues[0].id;
    for (const transition of ['ready', 'start']) ok(await admin.post(`/issues/${issue}/transitions`, { transition }));
    ok(await admin.post(`/issues/${issue}/transitions`, { transition: 'submit', data: { pr_url: 'https://git.example/pr/1' } }));

    const [first] = await until(async () => {
      const found = await reviews(issue);
      return found.length === 1 && found[0].status === 'succeeded' ? found : undefined;
    });
    const view = ok(await admin.get(`/executions/${first.id}`));
    expect(view).toMatchObject({ workflow: 'issue.review', parameters: { issue }, search: { issue }, output: { decision: 'checks_failed' } });
    expect(view.tasks.map((t: any) => [t.task, t.status])).toEqual([
      ['checks', 'succeeded'],
      ['send_back', 'succeeded'],
    ]);
    expect(view.tasks[1].result).toMatchObject({ id: issue, state: 'InProgress' });
    const entity = ok(await admin.get(`/issues/${issue}`));
    expect(entity.state).toBe('InProgress');
    const history = ok(await admin.get(`/issues/${issue}/history`));
    const back = history.events.find((e: any) => e.type === 'IssueTransitioned' && e.data.transition === 'request_changes');
    expect(back).toMatchObject({ actor: `workflow:${first.id}`, data: { reason: 'checks_failed', from: 'InReview', to: 'InProgress' } });

    // A second entry into InReview is a second review; nothing starts twice for the first.
    ok(await admin.post(`/issues/${issue}/transitions`, { transition: 'submit', data: { pr_url: 'https://git.example/pr/2' } }));
    const both = await until(async () => {
      const found = await reviews(issue);
      return found.length === 2 && found.every((e: any) => e.status === 'succeeded') ? found : undefined;
    });
    await sleep(200);
    expect(await reviews(issue)).toHaveLength(2);
    expect(both[1].id).not.toBe(first.id);
    expect(checked.filter((i) => i === issue)).toHaveLength(2);
  });

  it('fails a core.transition the lifecycle refuses with its code, and moves the entity when allowed', async () => {
    const { issues } = await projectWithIssues(admin, [{ title: 'Moved by a workflow', points: 1 }], 'MOVE');
    const issue = issues[0].id;
    ok(await admin.put('/workflows/hooks.move', `ref: hooks.move
input: {issue: {type: string, required: true}}
output: {state: "{{ tasks.ready.result.state }}", refused: "{{ vars.refused }}"}
vars: {refused: none}
tasks:
  skip:
    action: core.transition
    input: {lifecycle: issue, entity: "{{ parameters.issue }}", transition: pass_tests}
    next:
      - when: "{{ failed() }}"
        publish: {refused: "{{ error().code }}"}
        do: ready
  ready: {action: core.transition, input: {lifecycle: issue, entity: "{{ parameters.issue }}", transition: ready}}
`, 'application/yaml'));
    const id = ok(await admin.post('/workflows/hooks.move/executions', { parameters: { issue } }), 202).id;
    const view = await until(async () => {
      const v = ok(await admin.get(`/executions/${id}`));
      return ['succeeded', 'failed'].includes(v.status) ? v : undefined;
    });
    expect(view).toMatchObject({ status: 'succeeded', output: { state: 'Ready', refused: 'invalid_transition' } });
    expect(view.tasks[0].runs[0].attempts[0].error).toMatchObject({ code: 'invalid_transition', details: { state: 'Backlog' } });
    expect(ok(await admin.get(`/issues/${issue}`)).state).toBe('Ready');
  });
});
