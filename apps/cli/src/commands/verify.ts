/** `trellis verify [--stream id]`: recompute the hash chains and name the first broken event. */
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { verifyLog } from '@trellis/runtime';
import { withStores } from './data-dir';

export function registerVerifyCommand(program: Command) {
  program
    .command('verify')
    .description('recompute every stream’s SHA-256 hash chain (or one stream’s) and report the first broken event')
    .option('--stream <id>', 'verify only this stream')
    .action(async (options: { stream?: string }) => {
      await withStores(program, async ({ events: store }) => {
        const bar = process.stderr.isTTY
          ? new SingleBar({ format: ' verifying {bar} {value}/{total} positions | {eta}s left', stream: process.stderr }, Presets.shades_classic)
          : undefined;
        try {
          bar?.start(await store.headPosition(), 0);
          const result = await verifyLog(store, { streamId: options.stream, onProgress: (_n, position, head) => bar?.update(position, { total: head }) });
          bar?.stop();
          if (result.ok) {
            console.log(`ok: ${result.events} events in ${result.streams} streams verified`);
          } else {
            const b = result.brokenAt;
            console.log(`BROKEN: stream ${b.streamId} revision ${b.revision} (position ${b.position}): ${b.reason}`);
            process.exitCode = 2;
          }
        } finally {
          bar?.stop();
        }
      });
    });
}
