/**
 * The stores a CLI command works on: the backend the server would use, chosen by the same
 * environment variables (DATABASE_URL, KURRENTDB_URL + MONGODB_URL), else the SQLite files in
 * --data-dir. Opened for one command and closed after it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { EventStore } from '@trellis/eventstore';
import type { ReadStore } from '@trellis/readstore';
import { openEventStore, openReadStore } from '../../../server/src/backend/adapters';
import { selectBackend } from '../../../server/src/config/backend-config';

export interface DataDirStores {
  events: EventStore;
  reads: ReadStore;
}

export async function withStores<T>(program: Command, run: (stores: DataDirStores) => Promise<T>): Promise<T> {
  const dir = resolve(program.opts<{ dataDir: string }>().dataDir);
  const problems: string[] = [];
  const backend = selectBackend((name) => process.env[name]?.trim() || undefined, dir, 'FULL', problems);
  if (problems.length > 0) throw new Error(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  if (backend.kind === 'sqlite' && !existsSync(backend.file)) {
    throw new Error(`no event store at ${backend.file} (set --data-dir or TRELLIS_DATA_DIR)`);
  }
  const events = await openEventStore(backend);
  const reads = await openReadStore(backend).catch(async (error: unknown) => {
    await events.close();
    throw error;
  });
  try {
    return await run({ events, reads });
  } finally {
    await events.close();
    await reads.close();
  }
}
