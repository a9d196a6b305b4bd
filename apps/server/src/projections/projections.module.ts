/**
 * The read side (API.md, Read models and admin): the projection engine of this process, the query
 * services REST and GraphQL share, and the board, audit and admin endpoints. With SQLite this one
 * process runs every projection; the engine takes an in-process lease per projection (see
 * libs/runtime projections/lease.ts for what server backends need).
 */
import { BeforeApplicationShutdown, Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { EventStore } from '@trellis/eventstore';
import { AuditQueries, BoardQueries, ExecutionQueries, shippedProjections } from '@trellis/projections';
import { ReadStore } from '@trellis/readstore';
import { ProjectionEngine } from '@trellis/runtime/projections';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { BoardController } from './board.controller';
import { ProjectionsAdminController } from './projections-admin.controller';
import { ProjectionsService } from './projections.service';

const logger = new Logger('Projections');

@Module({
  controllers: [BoardController, AuditController, ProjectionsAdminController],
  providers: [
    {
      provide: ProjectionEngine,
      inject: [EventStore, ReadStore, APP_CONFIG],
      useFactory: (events: EventStore, reads: ReadStore, config: AppConfig) =>
        new ProjectionEngine(events, reads, shippedProjections(), {
          applyIntervalMs: config.projectionIntervalMs,
          onError: (projection, error) => logger.error({ msg: `projection ${projection}: ${error instanceof Error ? error.message : String(error)}`, err: error }),
          onOutdated: (projection, version) =>
            logger.warn({ msg: `projection ${projection}: its read model was written by another version; rebuilding it as version ${version} (reads use the old one until the switch)` }),
        }),
    },
    { provide: BoardQueries, inject: [ReadStore], useFactory: (reads: ReadStore) => new BoardQueries(reads) },
    { provide: AuditQueries, inject: [ReadStore], useFactory: (reads: ReadStore) => new AuditQueries(reads) },
    { provide: ExecutionQueries, inject: [ReadStore], useFactory: (reads: ReadStore) => new ExecutionQueries(reads) },
    AuditService,
    ProjectionsService,
  ],
  exports: [ProjectionEngine, BoardQueries, AuditQueries, ExecutionQueries],
})
export class ProjectionsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(ProjectionEngine) private readonly engine: ProjectionEngine) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.engine.start();
    logger.log(`projections started: ${this.engine.names.join(', ')}`);
  }

  // Before the read store closes (RuntimeModule, onApplicationShutdown): the last batch commits.
  async beforeApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }
}
