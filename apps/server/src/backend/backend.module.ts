/**
 * Binds the EventStore port to the adapter the configuration selects (see config/backend-config).
 */
import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { EventStore } from '@trellis/eventstore';
import { CommandPipeline } from '@trellis/runtime';
import { APP_CONFIG, AppConfig } from '../config/config';
import { openEventStore } from './adapters';

export interface BackendOverrides {
  /** Use this store instead of opening the configured one (tests, benches). It is closed on shutdown all the same. */
  eventStore?: EventStore;
}

@Global()
@Module({})
export class BackendModule implements OnApplicationShutdown {
  private readonly logger = new Logger('Backend');

  constructor(private readonly store: EventStore) {}

  static forRoot(overrides: BackendOverrides = {}): DynamicModule {
    return {
      module: BackendModule,
      providers: [
        {
          provide: EventStore,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig): Promise<EventStore> | EventStore => overrides.eventStore ?? openEventStore(config.backend),
        },
        { provide: CommandPipeline, inject: [EventStore], useFactory: (store: EventStore) => new CommandPipeline(store) },
      ],
      exports: [EventStore, CommandPipeline],
    };
  }

  // Nest runs this after the HTTP server has closed, i.e. once in-flight requests have finished:
  // no command can find the store closed under it.
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    this.logger.log(`event store closed (${this.store.backend})`);
  }
}
