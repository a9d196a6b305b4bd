/** When tasks fail: retry with backoff, timeout, delay, the fail target, expression errors, joins that cannot be met, fail-fast. */
import { scenarioSuite } from './support/harness';
import { FAILURE_SCENARIOS } from './scenarios/failures';

scenarioSuite('workflow scenarios: failures (real run and simulation)', FAILURE_SCENARIOS);
