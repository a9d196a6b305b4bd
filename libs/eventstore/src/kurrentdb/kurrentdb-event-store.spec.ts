/**
 * Runs the conformance suite against the KurrentDB (or EventStoreDB) server at KURRENTDB_URL.
 * Without it the suite is reported as skipped and the reason printed: there is no server to fake.
 * Every run writes under stream prefixes of its own, so a shared server's other streams do not
 * matter. The server must accept appends over 1 MiB (KURRENTDB_MAX_APPEND_SIZE, default 1 MiB)
 * for the large-payload case.
 */
import { eventStoreConformance } from '../testing/conformance';
import { KurrentDbEventStore } from './kurrentdb-event-store';

const url = process.env.KURRENTDB_URL;

if (url === undefined || url === '') {
  console.log('KurrentDB event store conformance skipped: KURRENTDB_URL is not set (see deploy/docker-compose.yml)');
  describe.skip('KurrentDB (KURRENTDB_URL is not set)', () => eventStoreConformance('kurrentdb', { create: async () => undefined as never }));
} else {
  eventStoreConformance('kurrentdb', {
    create: () => KurrentDbEventStore.open({ connectionString: url }),
    reopen: async (store) => {
      await store.close();
      return KurrentDbEventStore.open({ connectionString: url });
    },
  });
}
