/**
 * The read side: how fast each projection rebuilds a 200k-event log, against the raw sequential
 * read rate of the same store measured in the same run (readAll pages, JSON parsed), and the board
 * query's latency under 8 concurrent clients over HTTP (the server process, on the rebuilt files).
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteEventStore } from '@trellis/eventstore';
import { readModelsFile, SqliteReadStore } from '@trellis/readstore';
import { shippedProjections } from '@trellis/projections';
import { ProjectionRunner } from '@trellis/runtime/projections';
import { Pool } from 'undici';
import { round, runClosedLoop, throughput } from '../measure';
import type { Reporter } from '../report';
import { distEntry, startServer } from '../server-process';
import { writeBenchLog } from './projections-log';

export interface ProjectionSizes {
  events: number;
  boardQueries: number;
}

export async function projectionCases(reporter: Reporter, dir: string, sizes: ProjectionSizes): Promise<void> {
  const dataDir = join(dir, 'projections');
  const events = SqliteEventStore.open({ file: join(dataDir, 'events.db'), synchronous: 'NORMAL' });
  const reads = SqliteReadStore.open({ file: readModelsFile(dataDir) });
  let log;
  try {
    log = await reporter.run(`write a ${sizes.events.toLocaleString('en-US')}-event log (setup)`, sizes.events, async (progress) => {
      const startedAt = performance.now();
      const written = await writeBenchLog(events, sizes.events, progress);
      return { group: 'projections', throughput: throughput(written.head, startedAt), notes: JSON.stringify(written) };
    });
    const raw = await reporter.run('raw sequential read (readAll pages of 1,000, JSON parsed)', sizes.events, async (progress) => {
      const startedAt = performance.now();
      let count = 0;
      for (let after = 0; ; ) {
        const page = await events.readAll({ after, maxCount: 1000 });
        count += page.events.length;
        progress(count);
        if (page.isEnd) break;
        after = page.nextAfter;
      }
      return { group: 'projections', throughput: throughput(count, startedAt) };
    });
    const rawRate = raw.throughput!.perSecond;

    for (const projection of shippedProjections()) {
      const runner = new ProjectionRunner(events, reads, projection, { dropDelayMs: 60_000 });
      // The first fold fills generation 1 (following the log); the rebuild then replays it all
      // into generation 2 while generation 1 serves, and switches.
      await runner.start();
      while ((await runner.status()).lag > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await reporter.run(`rebuild ${projection.name}`, sizes.events, async (progress) => {
        const startedAt = performance.now();
        const timer = setInterval(async () => progress((await runner.status()).rebuild?.done ?? 0), 250);
        try {
          await runner.rebuild();
          const outcome = await runner.rebuildFinished();
          if (outcome?.status !== 'done') throw new Error(`rebuild of ${projection.name} ended ${outcome?.status}: ${outcome?.error?.message}`);
          const result = throughput(outcome.done, startedAt);
          return { group: 'projections', throughput: result, ratio: round(result.perSecond / rawRate), ratioTo: 'raw sequential read', target: '≥ 0.25' };
        } finally {
          clearInterval(timer);
          await runner.stop();
        }
      });
    }
  } finally {
    await events.close();
    await reads.close();
  }
  if (!log) return;
  const { projectId, sprintId } = JSON.parse(log.notes!) as { projectId: string; sprintId: string };
  await boardLatency(reporter, dataDir, projectId, sprintId, sizes.boardQueries);
}

async function boardLatency(reporter: Reporter, dataDir: string, projectId: string, sprintId: string, total: number): Promise<void> {
  const server = await startServer(distEntry('apps', 'server', 'src', 'main.js'), { TRELLIS_DATA_DIR: dataDir });
  const pool = new Pool(server.url, { connections: 8, pipelining: 1 });
  const path = `/api/v1/projects/${projectId}/board?sprint=${sprintId}`;
  const get = async () => {
    const res = await pool.request({ method: 'GET', path, headers: { authorization: `Bearer ${server.token}` } });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`GET ${path}: ${res.statusCode} ${text}`);
    return text;
  };
  try {
    await quiet(pool, server.token);
    const cards = (JSON.parse(await get()) as { columns: Array<{ wip: number }> }).columns.reduce((n, c) => n + c.wip, 0);
    // Warm up the server (JIT, first reads of the files) before measuring.
    await runClosedLoop(Math.min(total, 200), 8, get);
    await reporter.run(`GET board (${cards} cards, 8 concurrent clients)`, total, async (progress) => {
      const run = await runClosedLoop(total, 8, get, progress);
      return { group: 'projections', ...run };
    });
  } finally {
    await pool.close();
    await server.stop();
  }
}

/**
 * Waits until the server is idle: its process managers catch up on the log it opened (and may
 * append), and its projections follow; measuring meanwhile would time that work, not the reads.
 */
async function quiet(pool: Pool, token: string): Promise<void> {
  let last = '';
  for (let stable = 0; stable < 4; ) {
    const res = await pool.request({ method: 'GET', path: '/api/v1/admin/projections', headers: { authorization: `Bearer ${token}` } });
    const { projections } = JSON.parse(await res.body.text()) as { projections: Array<{ head: number; lag: number }> };
    const now = JSON.stringify(projections.map((p) => [p.head, p.lag]));
    stable = now === last && projections.every((p) => p.lag === 0) ? stable + 1 : 0;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
