/**
 * Workflow executions for read-model tests: the shipped issue.review workflow simulated with the
 * real decider (libs/workflow Simulation) along several paths — accepted, retried checks, changes
 * requested, failed checks, and one still waiting for its reviewer — and appended to the store as
 * `execution-<id>` streams, each event stamped with its simulated time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '@trellis/eventstore';
import { compileWorkflow, Simulation, type CompiledWorkflow } from '@trellis/workflow';
import { definitionsDir } from './definitions';


export function shippedWorkflow(ref: string): CompiledWorkflow {
  const compiled = compileWorkflow(readFileSync(join(definitionsDir('workflows'), `${ref}.yaml`), 'utf8'));
  if (!compiled.ok) throw new Error(`workflow ${ref} does not compile: ${JSON.stringify(compiled.problems)}`);
  return compiled.workflow;
}

const PATHS: Array<Record<string, unknown[]>> = [
  { checks: [{ result: { passed: true }, after: '4m' }], review: [{ result: { approved: true }, after: '2h' }], accept: [{ result: { ok: true } }] },
  {
    checks: [{ error: { code: 'flaky', message: 'runner lost' }, after: '1m' }, { result: { passed: true }, after: '3m' }],
    review: [{ result: { approved: false, comment: 'please split it' }, after: '1h' }],
    send_back: [{ result: { ok: true } }],
  },
  { checks: [{ result: { passed: false }, after: '2m' }], send_back: [{ error: { code: 'invalid_transition', message: 'not in review' } }] },
  { checks: [{ result: { passed: true }, after: '5m' }] },
];

export interface SimulatedExecution {
  executionId: string;
  issueId: string;
}

export async function appendSimulatedExecutions(store: EventStore, count: number, startAt = '2026-03-03T10:00:00.000Z'): Promise<SimulatedExecution[]> {
  const workflow = shippedWorkflow('issue.review');
  const made: SimulatedExecution[] = [];
  for (let i = 0; i < count; i++) {
    const executionId = `x${i + 1}`;
    const issueId = `p1-i${i + 1}`;
    const simulation = new Simulation(workflow, {
      executionId,
      parameters: { issue: issueId },
      results: structuredClone(PATHS[i % PATHS.length]),
      actor: i % 2 ? 'bob' : 'erin',
      startAt: new Date(Date.parse(startAt) + i * 60_000).toISOString(),
    })
      .start()
      // The last path stops while its reviewer has not answered yet: an execution that waits.
      .run((sim) => i % PATHS.length === PATHS.length - 1 && sim.events.some((e) => e.type === 'InquiryRequested'));
    const events = simulation.events.map(({ at, ...event }) => ({ type: event.type, data: event.data, metadata: { actor: 'engine', occurredAt: at } }));
    // A stream is appended in slices, as the engine appends one decision at a time.
    for (let from = 0; from < events.length; from += 3) await store.append(`execution-${executionId}`, events.slice(from, from + 3));
    made.push({ executionId, issueId });
  }
  return made;
}
