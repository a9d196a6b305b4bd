/** Opens the adapters a BackendConfig names; the server and the CLI share it. */
import { EventStore, KurrentDbEventStore, PostgresEventStore, SqliteEventStore } from '@trellis/eventstore';
import { MongoReadStore, PostgresReadStore, ReadStore, SqliteReadStore } from '@trellis/readstore';
import { Logger } from '@nestjs/common';
import type { BackendConfig } from '../config/backend-config';

export async function openEventStore(backend: BackendConfig): Promise<EventStore> {
  switch (backend.kind) {
    case 'sqlite':
      return SqliteEventStore.open({ file: backend.file, synchronous: backend.synchronous });
    case 'postgres':
      return PostgresEventStore.open({ connectionString: backend.url });
    case 'kurrentdb':
      return KurrentDbEventStore.open({ connectionString: backend.kurrentDbUrl });
  }
}

export async function openReadStore(backend: BackendConfig): Promise<ReadStore> {
  switch (backend.kind) {
    case 'sqlite': {
      const store = SqliteReadStore.open({ file: backend.readFile });
      if (store.discardedAfterRestart) {
        new Logger('ReadStore').warn(
          `${backend.readFile} was open when the machine went down and may be torn: deleted; the projections rebuild it from the event log`,
        );
      }
      return store;
    }
    case 'postgres':
      return PostgresReadStore.open({ connectionString: backend.url });
    case 'kurrentdb':
      return MongoReadStore.connect({ url: backend.mongoDbUrl });
  }
}
