/**
 * The runtime's own storage: a read store for the checkpoints of process managers (and, later,
 * for the read models). The embedded default is a SQLite file beside the event store.
 */
import { join } from 'node:path';
import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ReadStore, SqliteReadStore } from '@trellis/readstore';
import { CheckpointStore, ReadStoreCheckpoints } from '@trellis/runtime';
import { APP_CONFIG, type AppConfig } from '../config/config';

export const READ_STORE_FILE = 'readmodels.db';

@Global()
@Module({
  providers: [
    { provide: ReadStore, inject: [APP_CONFIG], useFactory: (config: AppConfig) => SqliteReadStore.open({ file: join(config.dataDir, READ_STORE_FILE) }) },
    { provide: CheckpointStore, inject: [ReadStore], useFactory: (store: ReadStore) => new ReadStoreCheckpoints(store) },
  ],
  exports: [ReadStore, CheckpointStore],
})
export class RuntimeModule implements OnApplicationShutdown {
  private readonly logger = new Logger('Runtime');

  constructor(@Inject(ReadStore) private readonly readStore: ReadStore) {}

  // After the process managers have stopped (beforeApplicationShutdown) and saved their checkpoints.
  async onApplicationShutdown(): Promise<void> {
    await this.readStore.close();
    this.logger.log('read store closed');
  }
}
