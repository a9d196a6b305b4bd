/** The embedded stores in the CLI's --data-dir, opened for a command and closed after it. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { SqliteEventStore } from '@trellis/eventstore';
import { readModelsFile, SqliteReadStore } from '@trellis/readstore';

export interface DataDirStores {
  events: SqliteEventStore;
  reads: SqliteReadStore;
}

export async function withStores<T>(program: Command, run: (stores: DataDirStores) => Promise<T>): Promise<T> {
  const dir = resolve(program.opts<{ dataDir: string }>().dataDir);
  const file = join(dir, 'events.db');
  if (!existsSync(file)) throw new Error(`no event store at ${file} (set --data-dir or TRELLIS_DATA_DIR)`);
  const events = SqliteEventStore.open({ file });
  const reads = SqliteReadStore.open({ file: readModelsFile(dir) });
  try {
    return await run({ events, reads });
  } finally {
    await events.close();
    await reads.close();
  }
}
