/** How executions flow: sequences, fan-out, joins, re-runs without join, cycles, with-items. */
import { scenarioSuite } from './support/harness';
import { FLOW_SCENARIOS } from './scenarios/flow';

scenarioSuite('workflow scenarios: flow (real run and simulation)', FLOW_SCENARIOS);
