/**
 * Lifecycle transitions on the embedded default, against the raw single-row insert rate: through
 * the command bus in-process (the application's whole write path minus HTTP: access check,
 * lifecycle decider, command pipeline with group commit), and through REST against the server
 * process. Each operation blocks or unblocks one of many issues, so callers rarely share a stream.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { Pool } from 'undici';
import { createApp } from '../../../apps/server/src/app.factory';
import { loadConfig } from '../../../apps/server/src/config/config';
import type { Authority } from '../../../apps/server/src/entities/access/entity-access';
import { ExecuteEntityCommand } from '../../../apps/server/src/entities/commands/execute-entity-command.command';
import { round, runClosedLoop, WARM_UP_CLIENTS, warmUpNotes } from '../measure';
import type { Reporter } from '../report';
import { distEntry, startServer } from '../server-process';

const ISSUES = 1000;

export interface TransitionSizes {
  /** Transitions per command-bus case. */
  commands: number;
  /** Requests per REST client (capped at 8 clients' worth per case). */
  perClient: number;
}

/** block, unblock, block, ... per issue: the next transition for an issue given how often it moved. */
class Toggles {
  private readonly moves = new Map<string, number>();
  next(issue: string): { transition: string; reason?: string } {
    const count = this.moves.get(issue) ?? 0;
    this.moves.set(issue, count + 1);
    return count % 2 === 0 ? { transition: 'block', reason: 'bench' } : { transition: 'unblock' };
  }
}

export async function transitionCases(reporter: Reporter, rawSingle: number, sizes: TransitionSizes): Promise<void> {
  await commandBusCases(reporter, rawSingle, sizes.commands);
  await restCases(reporter, rawSingle, sizes.perClient);
}

async function commandBusCases(reporter: Reporter, rawSingle: number, total: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trellis-bench-lifecycle-'));
  const config = loadConfig({
    TRELLIS_DATA_DIR: dataDir,
    TRELLIS_ADMIN_TOKEN: 'bench-admin-token-0123456789',
    TRELLIS_LOG_LEVEL: 'warn',
  });
  const app = await createApp(config, { handleSignals: false });
  try {
    const bus = app.get(CommandBus);
    const authority = (): Authority => ({ principal: { actor: 'bench', roles: { '*': ['admin'] } }, need: 'write', occurredAt: new Date().toISOString() });
    const send = (streamId: string, command: ExecuteEntityCommand['command'], project?: string) =>
      bus.execute(new ExecuteEntityCommand(streamId, command, { ...authority(), project }));
    const projectId = 'bench-project';
    await send(`project-${projectId}`, { type: 'CreateEntity', entityId: projectId, lifecycle: 'project', fields: { key: 'BENCH', name: 'Bench' } }, '*');
    const issues = Array.from({ length: ISSUES }, (_, i) => `bench-issue-${i}`);
    for (const id of issues) {
      await send(`issue-${id}`, { type: 'CreateEntity', entityId: id, lifecycle: 'issue', projectId, fields: { title: 'Benchmark issue', points: 3 } }, projectId);
    }
    const toggles = new Toggles();
    for (const [callers, target] of [
      [1, undefined],
      [16, '≥ 1× raw'],
    ] as const) {
      await reporter.run(`transitions via CommandBus, ${callers} caller${callers > 1 ? 's' : ''}`, total, async (progress) => {
        const run = await runClosedLoop(
          total,
          callers,
          (i) => {
            const issue = issues[i % ISSUES];
            return send(`issue-${issue}`, { type: 'TransitionEntity', ...toggles.next(issue) });
          },
          progress,
        );
        return { group: 'lifecycle', ...run, ratio: round(run.throughput.perSecond / rawSingle), ratioTo: 'raw single-row', target };
      });
    }
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function restCases(reporter: Reporter, rawSingle: number, perClient: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trellis-bench-lifecycle-http-'));
  const server = await startServer(distEntry('apps', 'server', 'src', 'main.js'), { TRELLIS_DATA_DIR: dataDir });
  const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
  const setup = new Pool(server.url, { connections: 8 });
  const post = async (pool: Pool, path: string, body: unknown, expected: number) => {
    const res = await pool.request({ method: 'POST', path: `/api/v1${path}`, headers, body: JSON.stringify(body) });
    const text = await res.body.text();
    if (res.statusCode !== expected) throw new Error(`POST ${path}: ${res.statusCode} ${text}`);
    return JSON.parse(text) as { id: string };
  };
  try {
    const project = await post(setup, '/projects', { key: 'BENCH', name: 'Bench' }, 201);
    const issues: string[] = [];
    for (let i = 0; i < ISSUES; i += 8) {
      const batch = await Promise.all(Array.from({ length: 8 }, () => post(setup, `/projects/${project.id}/issues`, { title: 'Benchmark issue', points: 3 }, 201)));
      issues.push(...batch.map((issue) => issue.id));
    }
    const toggles = new Toggles();
    const transition = (pool: Pool, i: number) => {
      const issue = issues[i % issues.length];
      return post(pool, `/issues/${issue}/transitions`, toggles.next(issue), 200);
    };
    const warmUp = perClient * 5;
    const warmPool = new Pool(server.url, { connections: WARM_UP_CLIENTS, pipelining: 1 });
    await reporter.run('transitions via REST, warm-up', warmUp, async (progress) => ({
      group: 'lifecycle',
      ...(await runClosedLoop(warmUp, WARM_UP_CLIENTS, (i) => transition(warmPool, i), progress)),
      notes: warmUpNotes(warmUp),
    }));
    await warmPool.close();
    for (const clients of [1, 8, 32]) {
      const total = perClient * Math.min(clients, 8);
      const pool = new Pool(server.url, { connections: clients, pipelining: 1 });
      await reporter.run(`transitions via REST, ${clients} client${clients > 1 ? 's' : ''}`, total, async (progress) => {
        const run = await runClosedLoop(total, clients, (i) => transition(pool, i), progress);
        return {
          group: 'lifecycle',
          ...run,
          ratio: round(run.throughput.perSecond / rawSingle),
          ratioTo: 'raw single-row',
          target: clients === 8 ? 'p99 < 10 ms' : undefined,
        };
      });
      await pool.close();
    }
  } finally {
    await setup.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
