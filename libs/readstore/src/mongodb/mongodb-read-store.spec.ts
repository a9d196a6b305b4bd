/**
 * The conformance suite against a real MongoDB server, when MONGODB_URL points at one (see
 * deploy/docker-compose.yml). Each test gets a database of its own, dropped at the end.
 * Without MONGODB_URL the suite is reported as skipped, with the reason printed.
 */
import { MongoClient } from 'mongodb';
import type { ReadStore } from '../read-store';
import { readStoreConformance, type ReadStoreFactory } from '../testing/conformance';
import { MongoReadStore } from './mongodb-read-store';

const url = process.env.MONGODB_URL;
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const databases: string[] = [];
const databaseOf = new WeakMap<ReadStore, string>();

async function connect(dbName: string): Promise<MongoReadStore> {
  // A short propagation delay keeps the cache in play without slowing the generation tests.
  const store = await MongoReadStore.connect({ url: url!, dbName, switchPropagationMs: 50 });
  databaseOf.set(store, dbName);
  return store;
}

const factory: ReadStoreFactory = {
  create: async () => {
    const dbName = `trellis_rs_${run}_${databases.length + 1}`;
    databases.push(dbName);
    return connect(dbName);
  },
  reopen: async (store) => {
    await store.close();
    return connect(databaseOf.get(store)!);
  },
  cleanup: async () => {
    const client = await new MongoClient(url!).connect();
    try {
      for (const name of databases) await client.db(name).dropDatabase();
    } finally {
      await client.close();
    }
  },
};

if (url) {
  readStoreConformance('mongodb', factory);
} else {
  console.log('MongoDB read store conformance skipped: MONGODB_URL is not set (see deploy/docker-compose.yml)');
  describe.skip('MongoDB (MONGODB_URL is not set)', () => readStoreConformance('mongodb', factory));
}
