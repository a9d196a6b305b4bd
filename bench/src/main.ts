/**
 * `npm run bench`: measures, in one run on this machine, the raw limits of the embedded store's
 * file settings and every layer above them, and reports each figure as a ratio to the raw
 * single-row insert rate. Results are printed and written as JSON (bench/results/latest.json).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { celCases } from './cases/cel';
import { eventStoreCases } from './cases/event-store';
import { httpCommandCases } from './cases/http';
import { httpPlatformCases } from './cases/http-platform';
import { projectionCases } from './cases/projections';
import { rawSqliteCases } from './cases/sqlite-raw';
import { transitionCases } from './cases/transitions';
import { workflowCases } from './cases/workflows';
import { Reporter } from './report';

const program = new Command()
  .name('bench')
  .option('--quick', 'small sizes, for a smoke run')
  .option('--only <groups>', 'comma-separated: store,http,lifecycle,workflow,projections,platform,cel')
  .option('--out <file>', 'where to write the JSON results', join(__dirname, '..', '..', '..', 'bench', 'results', 'latest.json'))
  .parse();

async function main() {
  const options = program.opts<{ quick?: boolean; only?: string; out: string }>();
  const only = options.only ? new Set(options.only.split(',')) : undefined;
  const wants = (group: string) => !only || only.has(group);
  const scale = options.quick ? 0.1 : 1;
  const n = (count: number) => Math.max(100, Math.round(count * scale));

  const dir = mkdtempSync(join(tmpdir(), 'trellis-bench-'));
  const reporter = new Reporter();
  console.log(`Trellis bench — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  console.log(`scratch files in ${dir}\n`);
  try {
    const raw = await rawSqliteCases(reporter, dir, { single: n(5000), batched: n(100_000) });
    if (wants('store')) await eventStoreCases(reporter, dir, raw.singleRowPerSecond, { single: n(5000), batched: n(100_000), commands: n(10_000) });
    if (wants('http')) await httpCommandCases(reporter, raw.singleRowPerSecond, n(1000));
    if (wants('lifecycle')) await transitionCases(reporter, raw.singleRowPerSecond, { commands: n(10_000), perClient: n(1000) });
    if (wants('workflow')) await workflowCases(reporter, dir, raw.singleRowPerSecond, { executions: n(2000), latency: n(400) });
    if (wants('projections')) await projectionCases(reporter, dir, { events: n(200_000), boardQueries: n(2000) });
    if (wants('platform')) await httpPlatformCases(reporter, n(20_000));
    if (wants('cel')) await celCases(reporter, n(200_000));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  reporter.writeJson(options.out, {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    quick: Boolean(options.quick),
  });
  console.log(`\nresults written to ${options.out}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
