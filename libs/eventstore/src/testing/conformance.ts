/**
 * The EventStore contract as one jest suite. Every adapter's spec calls eventStoreConformance with
 * its own factory, so the contract is written once and every backend is held to all of it.
 *
 * Each test opens its own store through the factory and keeps to stream ids under a prefix of its
 * own (global reads filter by it), so the suite also holds against a shared server whose log
 * already contains other events.
 */
import type { EventStore } from '../event-store';
import { appendCases } from './cases/append';
import { concurrencyCases } from './cases/concurrency';
import { durabilityCases } from './cases/durability';
import { hashChainCases } from './cases/hash-chain';
import { idempotencyCases } from './cases/idempotency';
import { readingCases } from './cases/reading';
import { subscriptionCases } from './cases/subscriptions';
import type { ConformanceContext } from './cases/support';

export interface EventStoreFactory {
  /** A store ready for use. The suite closes it after the test. */
  create(): Promise<EventStore>;
  /** Closes `store` and opens the same storage again (tests of durability run only if given). */
  reopen?(store: EventStore): Promise<EventStore>;
  /** Runs once after the whole suite (remove temp files, drop databases). */
  cleanup?(): Promise<void>;
}

export type { ConformanceContext } from './cases/support';

export function eventStoreConformance(name: string, factory: EventStoreFactory): void {
  describe(`EventStore conformance: ${name}`, () => {
    const opened: EventStore[] = [];
    let prefixes = 0;
    const runId = Math.random().toString(36).slice(2, 8);

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
      prefix(label) {
        prefixes += 1;
        return `${label}-${runId}-${prefixes}-`;
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

    describe('append and expectedRevision', () => appendCases(context));
    describe('concurrent appends', () => concurrencyCases(context));
    describe('idempotent retries', () => idempotencyCases(context));
    describe('reading', () => readingCases(context));
    describe('subscriptions', () => subscriptionCases(context));
    describe('hash chain', () => hashChainCases(context));
    describe('payloads and durability', () => durabilityCases(context));
  });
}
