// `npm test`: type-check once, run jest, then print the closing line CI reads,
// computed from jest's own JSON results.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const resultsFile = '.test-results.json';
const extraArgs = process.argv.slice(2);
const bin = (name) => `node_modules/.bin/${name}`;

const typecheck = spawnSync(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], { stdio: 'inherit' });
if (typecheck.status !== 0) {
  console.log('type check failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

rmSync(resultsFile, { force: true });
const jest = spawnSync(
  bin('jest'),
  ['--json', `--outputFile=${resultsFile}`, '--maxWorkers=2', ...extraArgs],
  { stdio: 'inherit', env: { ...process.env, TRELLIS_LOG_LEVEL: process.env.TRELLIS_LOG_LEVEL ?? 'silent' } },
);

if (!existsSync(resultsFile)) {
  console.log(`jest wrote no results (exit ${jest.status})`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
// A suite that fails to load has no test results of its own: count it as a failure.
const brokenSuites = r.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
const passed = r.numPassedTests;
const failed = r.numFailedTests + brokenSuites;
const skipped = r.numPendingTests + r.numTodoTests;
// Say why tests were skipped: the skipped suites name their reason (e.g. "KurrentDB (KURRENTDB_URL is not set)").
const skippedBySuite = new Map();
// A test skipped inside a suite that otherwise runs is named whole, so its title's reason shows.
for (const suite of r.testResults) {
  const ran = new Set(suite.assertionResults.filter((t) => t.status !== 'pending' && t.status !== 'todo').map((t) => t.ancestorTitles[0]));
  for (const test of suite.assertionResults) {
    if (test.status !== 'pending' && test.status !== 'todo') continue;
    const top = test.ancestorTitles[0];
    const name = top === undefined ? test.title : ran.has(top) ? [...test.ancestorTitles, test.title].join(' › ') : top;
    skippedBySuite.set(name, (skippedBySuite.get(name) ?? 0) + 1);
  }
}
for (const [name, count] of skippedBySuite) console.log(`skipped ${count}: ${name}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || jest.status !== 0 || passed === 0 ? 1 : 0);
