/**
 * Commands over HTTP on loopback against the real server process, at several client counts.
 * The load generator runs in this process, the server in its own: the figures include the
 * network stack, JSON, validation, auth and the durable append.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { round, runClosedLoop, WARM_UP_CLIENTS, warmUpNotes } from '../measure';
import type { Reporter } from '../report';
import { distEntry, startServer } from '../server-process';

export async function httpCommandCases(reporter: Reporter, rawSingle: number, perClientCount: number) {
  const server = await startServer(distEntry('apps', 'server', 'src', 'main.js'), {
    TRELLIS_DATA_DIR: mkdtempSync(join(tmpdir(), 'trellis-bench-http-')),
  });
  const issueToken = async (pool: Pool, actor: string) => {
    const res = await pool.request({
      method: 'POST',
      path: '/api/v1/admin/tokens',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ actor, roles: { '*': ['member'] } }),
    });
    await res.body.text();
    if (res.statusCode !== 201) throw new Error(`unexpected status ${res.statusCode}`);
  };
  try {
    const warmUp = perClientCount * 5;
    const warmPool = new Pool(server.url, { connections: WARM_UP_CLIENTS, pipelining: 1 });
    await reporter.run('HTTP POST /admin/tokens, warm-up', warmUp, async (progress) => ({
      group: 'http',
      ...(await runClosedLoop(warmUp, WARM_UP_CLIENTS, (i) => issueToken(warmPool, `warm-up-${i}`), progress)),
      notes: warmUpNotes(warmUp),
    }));
    await warmPool.close();
    for (const clients of [1, 8, 32]) {
      const total = perClientCount * Math.min(clients, 8);
      const pool = new Pool(server.url, { connections: clients, pipelining: 1 });
      await reporter.run(`HTTP POST /admin/tokens, ${clients} client${clients > 1 ? 's' : ''}`, total, async (progress) => {
        const run = await runClosedLoop(total, clients, (i) => issueToken(pool, `bench-${clients}-${i}`), progress);
        return {
          group: 'http',
          ...run,
          ratio: round(run.throughput.perSecond / rawSingle),
          ratioTo: 'raw single-row',
          target: clients === 8 ? 'p99 < 10 ms' : undefined,
        };
      });
      await pool.close();
    }
  } finally {
    await server.stop();
  }
}
