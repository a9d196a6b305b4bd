/** Inquiries, sleeps, templates, child workflows, controls and search fields, through both drivers. */
import { scenarioSuite } from './support/harness';
import { WAIT_SCENARIOS } from './scenarios/waits-children-controls';

scenarioSuite('workflow scenarios: waits, children, controls (real run and simulation)', WAIT_SCENARIOS);
