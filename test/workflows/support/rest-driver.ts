/**
 * A scenario for real, over REST on the embedded store: the workflows are registered (PUT), a
 * TrellisWorker serves their external actions from the scripted results (taking `after` to
 * answer), inquiries are answered with their scripted answer, controls are sent once their
 * condition holds, and the outcome is read from the execution's history — folded with the same
 * report the simulator gives, so both drivers answer in one shape.
 */
import { ActionError, conditionHolds, foldState, TrellisWorker } from '@trellis/runtime';
import { nextActions, simulationReport, type ExecutionState, type TimedEvent } from '@trellis/workflow';
import type { TestServer } from '../../support/server';
import { ok, type Client } from '../../support/trellis';
import { refOf, type Outcome, type RealContext, type Scenario } from './scenario';
import { ScriptedResults } from './scripted-results';

const TERMINAL = ['succeeded', 'failed', 'canceled'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function registerWorkflows(admin: Client, workflows: string[]): Promise<void> {
  for (const yaml of workflows) ok(await admin.put(`/workflows/${refOf(yaml)}`, yaml, 'application/yaml'));
}

export async function externalActions(admin: Client, workflows: string[]): Promise<string[]> {
  const actions = new Set<string>();
  for (const yaml of workflows) {
    const workflow = ok(await admin.get(`/workflows/${refOf(yaml)}`));
    for (const task of workflow.tasks) if (task.kind === 'external') actions.add(task.action);
  }
  return [...actions];
}

export async function readHistory(admin: Client, id: string, after = -1): Promise<RealContext['events'] & Array<{ occurredAt: string }>> {
  const events = [];
  for (let cursor = after; ; ) {
    const page = ok(await admin.get(`/executions/${id}/history?after=${cursor}&limit=1000`));
    events.push(...page.events);
    if (page.next === null) return events;
    cursor = page.next;
  }
}

export function outcomeOf(events: Array<{ type: string; data: any; occurredAt: string }>, state: ExecutionState): Outcome {
  const timed = events.map((e) => ({ type: e.type, data: e.data, at: e.occurredAt }) as TimedEvent);
  return simulationReport(state, timed, []) as unknown as Outcome;
}

export async function runScenario(server: TestServer, admin: Client, scenario: Scenario, timeoutMs = 20_000): Promise<{ outcome: Outcome; context: RealContext }> {
  await scenario.setup?.(admin);
  await registerWorkflows(admin, scenario.workflows);
  const script = new ScriptedResults(scenario.realResults ?? scenario.results);
  const errors: unknown[] = [];
  const worker = new TrellisWorker({ url: server.baseUrl, token: admin.token, name: 'scenario-worker', concurrency: 32, waitMs: 1000, leaseMs: scenario.leaseMs ?? 10_000, onError: (e) => errors.push(e) });
  const actions = await externalActions(admin, scenario.workflows);
  for (const action of actions) {
    worker.register(action, async (_input, context) => {
      const step = script.next(context.task);
      if (!step) return null;
      if (step.afterMs) await sleep(step.afterMs);
      if ('error' in step.outcome) throw new ActionError(step.outcome.error.code, step.outcome.error.message, step.outcome.error.details);
      return step.outcome.result;
    });
  }
  const main = refOf(scenario.workflows[scenario.workflows.length - 1]);
  const executionId: string = ok(await admin.post(`/workflows/${main}/executions`, { parameters: scenario.parameters ?? {} }), 202).id;
  await scenario.beforeWorker?.({ server, admin, executionId });
  if (actions.length > 0) await worker.start();

  const events: Array<{ type: string; data: any; revision: number; occurredAt: string }> = [];
  const controls = [...(scenario.controls ?? [])];
  const answering = new Set<string>();
  const pending: Promise<void>[] = [];
  const deadline = Date.now() + timeoutMs;
  let state: ExecutionState = foldState([]);
  try {
    for (;;) {
      events.push(...(await readHistory(admin, executionId, events.length - 1)));
      state = foldState(events.map((e) => ({ ...e, metadata: { occurredAt: e.occurredAt } }) as never));
      if (controls.length > 0 && conditionHolds(state, controls[0].when)) {
        const control = controls.shift()!;
        if (control.results) script.extend(control.results);
        ok(await admin.post(`/executions/${executionId}/${control.do}`, control.tasks ? { tasks: control.tasks } : {}), 202);
        continue;
      }
      if (TERMINAL.includes(state.status) && controls.length === 0) break;
      for (const inquiry of nextActions(state).inquiries) {
        const key = `${inquiry.runId}@${inquiry.attempt}`;
        if (answering.has(key)) continue;
        const step = script.next(inquiry.task);
        if (!step) continue;
        answering.add(key);
        const answer = 'result' in step.outcome ? step.outcome.result : step.outcome.error;
        pending.push(
          (async () => {
            if (step.afterMs) await sleep(step.afterMs);
            const answered = await scenario.onInquiry?.({ server, admin, executionId, inquiry, answer });
            if (!answered) ok(await admin.post(`/executions/${executionId}/inquiries/${inquiry.task}`, { answer }));
          })(),
        );
      }
      if (Date.now() > deadline) throw new Error(`scenario ${scenario.name}: execution ${executionId} is ${state.status} after ${timeoutMs} ms (controls left: ${controls.length})`);
      await sleep(15);
    }
    await Promise.all(pending);
  } finally {
    await worker.stop();
  }
  const view = ok(await admin.get(`/executions/${executionId}`));
  return { outcome: outcomeOf(events, state), context: { server, admin, executionId, view, events } };
}
