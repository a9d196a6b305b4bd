/**
 * Child process of the crash test: appends batches of CRASH_BATCH events from several concurrent
 * writers, forever, and prints one line per acknowledged append:
 *   <streamId> <last revision> <comma-separated event ids>
 * The test SIGKILLs it and checks the file against what was printed.
 */
import { SqliteEventStore } from '../sqlite-event-store';

export const CRASH_BATCH = 5;
const WRITERS = 8;

async function main(file: string): Promise<void> {
  const store = SqliteEventStore.open({ file });
  process.stdout.write('ready\n');
  const writer = async (w: number) => {
    for (let i = 0; ; i += 1) {
      const streamId = `crash-${w}-${i % 4}`;
      const events = Array.from({ length: CRASH_BATCH }, (_, k) => ({ type: 'CrashTested', data: { w, i, k } }));
      const result = await store.append(streamId, events);
      process.stdout.write(`${streamId} ${result.revision} ${result.events.map((e) => e.id).join(',')}\n`);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
}

if (require.main === module) {
  main(process.argv[2]).catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
