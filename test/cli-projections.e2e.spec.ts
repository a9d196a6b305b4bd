/**
 * The admin CLI on a data directory: `trellis projections rebuild <name>` replays the log into a
 * new generation (its outcome printed after the progress bar), `projections status` shows it
 * active, and `audit export` streams the audit read model as JSON Lines or CSV.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '@trellis/eventstore';
import { CommandPipeline } from '@trellis/runtime';
import { EntityScript, scriptSprint } from '../projections/testing/sprint-script';
import { tempDataDir } from './support/server';

const ROOT = join(__dirname, '..');
const CLI = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts'];

async function trellis(dataDir: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...CLI, '--data-dir', dataDir, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('trellis projections / audit (CLI)', () => {
  let dataDir: string;
  let head: number;

  beforeAll(async () => {
    dataDir = tempDataDir();
    const events = SqliteEventStore.open({ file: join(dataDir, 'events.db') });
    await scriptSprint(new EntityScript(new CommandPipeline(events)), { issues: 12 });
    head = await events.headPosition();
    await events.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('rebuilds a projection into a new generation and reports it after the bar', async () => {
    const rebuilt = await trellis(dataDir, 'projections', 'rebuild', 'audit-history');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(new RegExp(`^audit-history: rebuilt ${head} events in [\\d.]+ s \\(\\d+ events/s\\); generation 2 is active\\n$`));
    expect(rebuilt.stderr).toMatch(/audit-history .* \d+\/\d+ events \| \d+ events\/s \| ETA/);

    const status = await trellis(dataDir, 'projections', 'status');
    expect(status.stdout).toContain(`audit-history: generation 2, checkpoint ${head}, lag 0\n`);
    expect(status.stdout).toContain(`sprint-board: generation 1, checkpoint 0, lag ${head}\n`);

    const unknown = await trellis(dataDir, 'projections', 'rebuild', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no projection "nope"; projections are sprint-board, audit-history, workflow-executions');
  }, 60_000);

  it('exports the audit trail as JSON Lines and CSV', async () => {
    const jsonl = await trellis(dataDir, 'audit', 'export', '--format', 'jsonl');
    expect(jsonl.code).toBe(0);
    const entries = jsonl.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(entries.map((e) => e.position).sort((a, b) => a - b)).toEqual(Array.from({ length: head }, (_, i) => i + 1));

    const out = join(dataDir, 'approvals.csv');
    const csv = await trellis(dataDir, 'audit', 'export', '--format', 'csv', '--type', 'IssueApprovalGranted', '--out', out);
    expect(csv.code).toBe(0);
    const rows = require('node:fs').readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(rows[0]).toMatch(/^position,occurredAt,actor,type,/);
    expect(rows.length - 1).toBe(entries.filter((e) => e.type === 'IssueApprovalGranted').length);
    expect(rows.slice(1).every((row: string) => row.split(',')[3] === 'IssueApprovalGranted')).toBe(true);
  }, 60_000);
});
