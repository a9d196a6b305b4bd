/**
 * A realistic log for the projection bench, written straight into an event store: projects with
 * sprints; issues created, estimated, scheduled and moved through the issue lifecycle over a
 * sprint's days (with approvals, blocks and re-estimates); and workflow executions (the shipped
 * issue.review workflow simulated once per path with the real decider, then replayed under fresh
 * execution ids). Appends go round by round across streams, so the global log interleaves
 * streams as a busy engine would.
 */
import type { EventStore, NewEvent } from '@trellis/eventstore';
import { Simulation } from '@trellis/workflow';
import { shippedWorkflow } from '../../../projections/testing/execution-script';

const ISSUES_PER_PROJECT = 500;
const SPRINTS_PER_PROJECT = 5;
const DAY_MS = 86_400_000;
const START = Date.parse('2026-03-02T09:00:00.000Z');

export interface BenchLog {
  head: number;
  /** A project and a running sprint of it, for the board queries. */
  projectId: string;
  sprintId: string;
}

type Script = { streamId: string; events: NewEvent[] };

const meta = (actor: string, day: number, minute: number) => ({ actor, occurredAt: new Date(START + day * DAY_MS + minute * 60_000).toISOString() });

function issueScript(projectId: string, sprintId: string, n: number): Script {
  const id = `${projectId}-i${n}`;
  const dev = ['bob', 'carol', 'dave'][n % 3];
  const events: NewEvent[] = [];
  const add = (type: string, data: Record<string, unknown>, day: number, actor = dev) => events.push({ type, data: { ...data, actor }, metadata: meta(actor, day, n % 600) });
  const move = (from: string, to: string, transition: string, day: number, extra: Record<string, unknown> = {}) =>
    add('IssueTransitioned', { transition, from, to, data: {}, approvals: [], ...extra }, day);
  add('IssueCreated', { id, lifecycle: 'issue', lifecycleVersion: 1, projectId, state: 'Backlog', fields: { title: `Issue ${n} of ${projectId}`, points: 1 + (n % 8), assignee: dev } }, 0);
  add('IssueScheduled', { sprintId }, 0, 'alice');
  add('IssueFieldsChanged', { fields: { points: 2 + (n % 5) } }, 1, 'alice');
  move('Backlog', 'Ready', 'ready', 1);
  move('Ready', 'InProgress', 'start', 2);
  if (n % 6 === 0) {
    move('InProgress', 'Blocked', 'block', 2, { reason: 'waiting for the API team' });
    move('Blocked', 'InProgress', 'unblock', 3);
  }
  move('InProgress', 'InReview', 'submit', 3, { data: { pr_url: `https://git.example.com/pull/${n}` } });
  add('IssueApprovalRequested', { transition: 'accept_review', from: 'InReview', to: 'Testing', roles: ['reviewer'], count: 1, data: {} }, 4);
  add('IssueApprovalGranted', { transition: 'accept_review' }, 4, 'erin');
  move('InReview', 'Testing', 'accept_review', 4, { approvals: [{ actor: 'erin' }] });
  if (n % 3 !== 0) move('Testing', 'Done', 'pass_tests', 5);
  return { streamId: `issue-${id}`, events };
}

function sprintScript(projectId: string, sprintId: string, issueIds: string[]): Script {
  const events: NewEvent[] = [
    { type: 'SprintCreated', data: { id: sprintId, lifecycle: 'sprint', lifecycleVersion: 1, projectId, state: 'Planning', fields: { name: sprintId }, actor: 'alice' }, metadata: meta('alice', 0, 0) },
    ...issueIds.map((issueId) => ({ type: 'SprintIssueAdded', data: { issueId, actor: 'alice' }, metadata: meta('alice', 0, 1) })),
    { type: 'SprintTransitioned', data: { transition: 'start', from: 'Planning', to: 'Active', data: {}, actor: 'alice', approvals: [] }, metadata: meta('alice', 1, 0) },
  ];
  return { streamId: `sprint-${sprintId}`, events };
}

const REVIEW_PATHS: Array<Record<string, unknown[]>> = [
  { checks: [{ result: { passed: true }, after: '4m' }], review: [{ result: { approved: true }, after: '2h' }], accept: [{ result: { ok: true } }] },
  { checks: [{ error: { code: 'flaky', message: 'runner lost' }, after: '1m' }, { result: { passed: true }, after: '3m' }], review: [{ result: { approved: false, comment: 'split it' } }], send_back: [{ result: { ok: true } }] },
  { checks: [{ result: { passed: false }, after: '2m' }], send_back: [{ result: { ok: true } }] },
];

/** One simulated stream per path, with `XID` where the execution id goes. */
function executionTemplates(): string[] {
  const workflow = shippedWorkflow('issue.review');
  return REVIEW_PATHS.map((results) => {
    const simulation = new Simulation(workflow, { executionId: 'XID', parameters: { issue: 'ISSUE' }, results, actor: 'erin', startAt: new Date(START + DAY_MS * 3).toISOString() }).start().run();
    return JSON.stringify(simulation.events.map(({ at, ...event }) => ({ type: event.type, data: event.data, metadata: { actor: 'engine', occurredAt: at } })));
  });
}

export async function writeBenchLog(store: EventStore, total: number, onProgress?: (done: number) => void): Promise<BenchLog> {
  const scripts: Script[] = [];
  const templates = executionTemplates();
  let planned = 0;
  for (let p = 0; planned < total; p++) {
    const projectId = `p${p}`;
    scripts.push({ streamId: `project-${projectId}`, events: [{ type: 'ProjectCreated', data: { id: projectId, lifecycle: 'project', lifecycleVersion: 1, state: 'Draft', fields: { key: `P${p}`, name: `Project ${p}` }, actor: 'alice' }, metadata: meta('alice', 0, 0) }] });
    for (let s = 0; s < SPRINTS_PER_PROJECT; s++) {
      const sprintId = `${projectId}-s${s}`;
      const issues = Array.from({ length: ISSUES_PER_PROJECT / SPRINTS_PER_PROJECT }, (_, i) => issueScript(projectId, sprintId, s * 1000 + i));
      scripts.push(sprintScript(projectId, sprintId, issues.map((script) => script.streamId.slice('issue-'.length))), ...issues);
      for (const [i, issue] of issues.entries()) {
        if (i % 2 === 0) {
          const xid = `${sprintId}-x${i}`;
          const events = JSON.parse(templates[i % templates.length].replaceAll('XID', xid).replaceAll('ISSUE', issue.streamId.slice(6))) as NewEvent[];
          scripts.push({ streamId: `execution-${xid}`, events });
        }
      }
    }
    planned = scripts.reduce((sum, script) => sum + script.events.length, 0);
  }
  // Trim to exactly `total` events, then append round by round: the k-th slice of every stream.
  let excess = planned - total;
  for (let i = scripts.length - 1; excess > 0; i--) {
    const cut = Math.min(excess, scripts[i].events.length - 1);
    scripts[i].events.splice(scripts[i].events.length - cut, cut);
    excess -= cut;
  }
  let done = 0;
  for (let round = 0; ; round++) {
    const slices = scripts.map((s) => ({ streamId: s.streamId, events: s.events.slice(round * 4, round * 4 + 4) })).filter((s) => s.events.length > 0);
    if (slices.length === 0) break;
    for (let from = 0; from < slices.length; from += 500) {
      await Promise.all(slices.slice(from, from + 500).map((s) => store.append(s.streamId, s.events)));
      done += slices.slice(from, from + 500).reduce((sum, s) => sum + s.events.length, 0);
      onProgress?.(done);
    }
  }
  return { head: await store.headPosition(), projectId: 'p0', sprintId: 'p0-s0' };
}
