/**
 * The ReadStore contract as one jest suite. Every adapter's spec calls readStoreConformance
 * with its own factory, so the contract is written once and every backend is held to all of it.
 *
 * Each test opens its own, empty store through the factory (a new file, a new database).
 */
import type { ReadStore } from '../read-store';
import { batchCases } from './cases/batches';
import { documentCases } from './cases/documents';
import { durabilityCases } from './cases/durability';
import { generationCases } from './cases/generations';
import { queryCases } from './cases/queries';
import type { ConformanceContext } from './cases/support';

export interface ReadStoreFactory {
  /** An empty store ready for use. The suite closes it after the test. */
  create(): Promise<ReadStore>;
  /** Closes `store` and opens the same storage again (the durability test runs only if given). */
  reopen?(store: ReadStore): Promise<ReadStore>;
  /** Runs once after the whole suite (remove temp files, drop databases). */
  cleanup?(): Promise<void>;
}

export type { ConformanceContext } from './cases/support';

export function readStoreConformance(name: string, factory: ReadStoreFactory): void {
  describe(`ReadStore conformance: ${name}`, () => {
    const opened: ReadStore[] = [];

    const context: ConformanceContext = {
      canReopen: factory.reopen !== undefined,
      async open() {
        const store = await factory.create();
        opened.push(store);
        return store;
      },
      async reopen(store) {
        if (!factory.reopen) throw new Error(`${name}: the factory cannot reopen a store`);
        const reopened = await factory.reopen(store);
        opened.push(reopened);
        return reopened;
      },
    };

    beforeEach(() => {
      expect.hasAssertions();
    });

    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close().catch(() => undefined);
    });

    afterAll(async () => {
      await factory.cleanup?.();
    });

    describe('documents', () => documentCases(context));
    describe('queries and pagination', () => queryCases(context));
    describe('batches, checkpoints and idempotency', () => batchCases(context));
    describe('generations (blue/green rebuilds)', () => generationCases(context));
    describe('durability', () => durabilityCases(context));
  });
}
