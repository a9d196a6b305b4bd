/** Progress output while a case runs, and the results table and JSON at the end. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { Latency, Throughput } from './measure';

export interface CaseResult {
  name: string;
  group: string;
  throughput?: Throughput;
  latency?: Latency;
  /** Throughput divided by the raw limit this group is compared with. */
  ratio?: number;
  ratioTo?: string;
  target?: string;
  notes?: string;
}

export class Reporter {
  readonly results: CaseResult[] = [];

  /** Runs one case with a progress bar (on a terminal) or a start line (in CI logs), then prints its figures. */
  async run(name: string, total: number, body: (progress: (done: number) => void) => Promise<Omit<CaseResult, 'name'>>) {
    const bar = process.stderr.isTTY
      ? new SingleBar({ format: ` {bar} {percentage}% | {value}/{total} | ${name} | ETA {eta}s`, clearOnComplete: true, stream: process.stderr }, Presets.shades_classic)
      : undefined;
    if (bar) bar.start(total, 0);
    else process.stderr.write(`… ${name} (${total} operations)\n`);
    try {
      const result = { name, ...(await body((done) => bar?.update(done))) };
      this.results.push(result);
      bar?.stop();
      console.log(formatLine(result));
      return result;
    } finally {
      bar?.stop();
    }
  }

  writeJson(file: string, environment: Record<string, unknown>) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ environment, results: this.results }, null, 2) + '\n');
  }
}

export function formatLine(r: CaseResult): string {
  const parts = [`✓ ${r.name.padEnd(58)}`];
  if (r.throughput) parts.push(`${r.throughput.perSecond.toLocaleString('en-US').padStart(9)} /s`);
  if (r.latency) parts.push(`p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms`);
  if (r.ratio !== undefined) parts.push(`ratio ${r.ratio} × ${r.ratioTo}`);
  if (r.target) parts.push(`(target ${r.target})`);
  return parts.join('  ');
}
