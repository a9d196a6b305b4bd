/** One server per spec file, and a test per scenario that runs it through both drivers. */
import { startTestServer, type TestServer } from '../../support/server';
import { client, type Client } from '../../support/trellis';
import { runScenario } from './rest-driver';
import { checkOutcome, type Scenario } from './scenario';
import { simulateScenario } from './simulate-driver';

export interface Harness {
  server: TestServer;
  admin: Client;
}

export function scenarioSuite(title: string, scenarios: Scenario[], env: Record<string, string> = {}): void {
  describe(title, () => {
    const h = {} as Harness;
    beforeAll(async () => {
      h.server = await startTestServer({ env });
      h.admin = client(h.server, h.server.adminToken);
    });
    afterAll(async () => h.server.close());

    for (const scenario of scenarios) {
      it(scenario.name, async () => {
        const { outcome: real, context } = await runScenario(h.server, h.admin, scenario);
        const simulated = await simulateScenario(h.admin, scenario);
        checkOutcome(real, scenario.expect, 'real');
        checkOutcome(simulated, scenario.expect, 'simulated');
        // One decider, two drivers: the same order, status and output.
        const same = (o: typeof real) => ({ status: o.status, output: o.output, ...(scenario.sameOrder === false ? {} : { order: o.order }) });
        expect(same(real)).toEqual(same(simulated));
        await scenario.real?.(context);
        scenario.simulated?.(simulated);
      });
    }
  });
}
