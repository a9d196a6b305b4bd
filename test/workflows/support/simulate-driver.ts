/** A scenario through POST /workflows/simulate: the definition inline, the same scripted results and controls. */
import { ok, type Client } from '../../support/trellis';
import type { Outcome, Scenario } from './scenario';

export async function simulateScenario(admin: Client, scenario: Scenario): Promise<Outcome> {
  const main = scenario.workflows[scenario.workflows.length - 1];
  const answer = ok(
    await admin.post('/workflows/simulate', {
      definition: main,
      parameters: scenario.parameters ?? {},
      results: scenario.results ?? {},
      ...(scenario.controls ? { controls: scenario.controls } : {}),
    }),
    200,
  );
  for (const control of answer.controls ?? []) {
    if (!control.applied) throw new Error(`simulated control ${control.do} was not applied: ${control.message}`);
  }
  return answer as Outcome;
}
