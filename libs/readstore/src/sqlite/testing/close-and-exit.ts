/**
 * Run as a child process by sqlite-read-store.spec.ts: opens a read store whose checkpoints run
 * on a worker, lets one run, closes the store and says so. With nothing else keeping the process
 * alive, "closed" is printed only if close() keeps the process up until the worker has exited.
 */
import { upsertOp } from '../../write-ops';
import { BOARD, cards, deck } from '../../testing/cases/support';
import { SqliteReadStore } from '../sqlite-read-store';

async function main(file: string) {
  const store = SqliteReadStore.open({ file, synchronous: 'OFF' });
  await store.applyBatch(BOARD, 10, deck(10).map((card) => upsertOp(cards, card)));
  await store.checkpointNow();
  await store.close();
  process.stdout.write('closed\n');
}

void main(process.argv[2]);
