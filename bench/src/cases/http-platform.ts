/** Express vs Fastify under NestJS, same app and same load: how the HTTP platform was chosen. */
import { Pool } from 'undici';
import { runClosedLoop } from '../measure';
import type { Reporter } from '../report';
import { startServer } from '../server-process';

export async function httpPlatformCases(reporter: Reporter, total: number) {
  for (const platform of ['express', 'fastify']) {
    const server = await startServer(`${__dirname}/../platform/echo-server.js`, {}, [platform]);
    const pool = new Pool(server.url, { connections: 8 });
    try {
      await reporter.run(`HTTP platform ${platform}: validated POST, 8 clients`, total, async (progress) => {
        const run = await runClosedLoop(
          total,
          8,
          async () => {
            const res = await pool.request({
              method: 'POST',
              path: '/api/v1/echo',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ title: 'x', points: 3 }),
            });
            await res.body.text();
            if (res.statusCode !== 201) throw new Error(`unexpected status ${res.statusCode}`);
          },
          progress,
        );
        return { group: 'http platform', ...run };
      });
    } finally {
      await pool.close();
      await server.stop();
    }
  }
}
