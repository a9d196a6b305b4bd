import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadStore } from '../read-store';
import { readStoreConformance } from '../testing/conformance';
import { SqliteReadStore } from './sqlite-read-store';

const dir = mkdtempSync(join(tmpdir(), 'trellis-readstore-'));
let files = 0;
const fileOf = new WeakMap<ReadStore, string>();

function openAt(file: string): SqliteReadStore {
  const store = SqliteReadStore.open({ file });
  fileOf.set(store, file);
  return store;
}

readStoreConformance('sqlite', {
  create: async () => openAt(join(dir, `readmodels-${++files}.db`)),
  reopen: async (store) => {
    await store.close();
    return openAt(fileOf.get(store)!);
  },
  cleanup: async () => rmSync(dir, { recursive: true, force: true }),
});

readStoreConformance('sqlite in memory', {
  create: async () => SqliteReadStore.open({ file: ':memory:' }),
});
