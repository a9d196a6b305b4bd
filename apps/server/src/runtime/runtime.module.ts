/**
 * The runtime's own storage: the read store for read models and the checkpoints of process
 * managers, on the backend the configuration selects (embedded default: a SQLite file beside the
 * event store).
 */
import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ReadStore } from '@trellis/readstore';
import { CheckpointStore, ReadStoreCheckpoints } from '@trellis/runtime';
import { openReadStore } from '../backend/adapters';
import { APP_CONFIG, type AppConfig } from '../config/config';

@Global()
@Module({
  providers: [
    { provide: ReadStore, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openReadStore(config.backend) },
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
