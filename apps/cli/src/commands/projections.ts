/**
 * `trellis projections status` and `trellis projections rebuild <name>`: the same runner the
 * server uses, on the data directory's files. Run it while the server is stopped (with SQLite one
 * process does everything); on a running server use POST /api/v1/admin/projections/{name}/rebuild.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { shippedProjections } from '@trellis/projections';
import { ProjectionEngine, type RebuildProgress } from '@trellis/runtime/projections';
import { withStores } from './data-dir';

export function registerProjectionsCommand(program: Command) {
  const projections = program.command('projections').description('read models: status and rebuilds');

  projections
    .command('status')
    .description('checkpoint, lag, status and rebuild progress of every projection')
    .action(() =>
      withStores(program, async ({ events, reads }) => {
        const engine = new ProjectionEngine(events, reads, shippedProjections());
        for (const s of await Promise.all(engine.names.map((name) => engine.runner(name).status()))) {
          const rebuild = s.rebuild ? `; rebuild ${s.rebuild.status} at ${s.rebuild.position}` : '';
          console.log(`${s.name}: generation ${s.generation}, checkpoint ${s.checkpoint}, lag ${s.lag}${rebuild}`);
        }
      }),
    );

  projections
    .command('rebuild <name>')
    .description('replay the log into a new generation and switch to it; Ctrl-C cancels, running it again resumes')
    .option('--fresh', 'drop a canceled or interrupted rebuild instead of resuming it')
    .option('--batch-size <n>', 'events per batch (default 500)', (v) => Number.parseInt(v, 10))
    .action((name: string, options: { fresh?: boolean; batchSize?: number }) =>
      withStores(program, async ({ events, reads }) => {
        const engine = new ProjectionEngine(events, reads, shippedProjections(), { rebuildBatchSize: options.batchSize, dropDelayMs: 0 });
        const runner = engine.runner(name);
        const bar = new SingleBar(
          {
            format: ` ${name} {bar} {value}/{total} events | {rate} events/s | ETA {eta_formatted} | {phase}`,
            stream: process.stderr,
            noTTYOutput: true,
            notTTYSchedule: 5000,
            etaBuffer: 50,
          },
          Presets.shades_classic,
        );
        const show = (p: RebuildProgress) => bar.update(p.done, { total: p.total, rate: p.eventsPerSecond, phase: p.status });
        engine.onRebuildProgress(({ progress }) => {
          bar.setTotal(progress.total);
          show(progress);
        });
        const cancel = () => void runner.cancelRebuild();
        process.once('SIGINT', cancel);
        try {
          await runner.start();
          const first = await runner.rebuild({ fresh: options.fresh });
          if (first.from > 0) console.error(`resuming generation ${first.generation} from position ${first.from}`);
          bar.start(first.total, first.done, { rate: 0, phase: first.status });
          const outcome = (await runner.rebuildFinished())!;
          show(outcome);
          bar.stop();
          report(name, outcome);
        } finally {
          bar.stop();
          process.off('SIGINT', cancel);
          await engine.stop();
        }
      }),
    );
}

/** The outcome on its own lines, after the bar: an error is never left behind it. */
function report(name: string, p: RebuildProgress): void {
  const seconds = p.startedAt && p.finishedAt ? (Date.parse(p.finishedAt) - Date.parse(p.startedAt)) / 1000 : 0;
  switch (p.status) {
    case 'done':
      console.log(`${name}: rebuilt ${p.done} events in ${seconds.toFixed(1)} s (${p.eventsPerSecond} events/s); generation ${p.generation} is active`);
      return;
    case 'canceled':
      console.log(`${name}: canceled at position ${p.position} of ${p.head}; run the command again to resume (or with --fresh to start over)`);
      process.exitCode = 130;
      return;
    default: {
      const at = p.error?.event ? ` on event ${p.error.event.position} (${p.error.event.type} in ${p.error.event.streamId})` : '';
      console.error(`${name}: rebuild ${p.status}${at}: ${p.error?.message ?? 'unknown error'}`);
      process.exitCode = 1;
    }
  }
}
