import { Module } from '@nestjs/common';
import { LifecyclesModule } from '../lifecycles/lifecycles.module';
import { ExecuteEntityCommandHandler } from './commands/execute-entity-command.handler';
import { CustomEntitiesController } from './custom-entities.controller';
import { EntitiesService } from './entities.service';
import { entityDeciderProvider } from './entity-decider';
import { EntityQueries } from './entity-queries.service';
import { IssuesController } from './issues.controller';
import { ProjectsController } from './projects.controller';
import { SprintsController } from './sprints.controller';

/** Projects, sprints, issues and registered lifecycles' entities (API.md, Entities). */
@Module({
  imports: [LifecyclesModule],
  controllers: [ProjectsController, SprintsController, IssuesController, CustomEntitiesController],
  providers: [entityDeciderProvider, ExecuteEntityCommandHandler, EntitiesService, EntityQueries],
  exports: [entityDeciderProvider, EntityQueries, EntitiesService],
})
export class EntitiesModule {}
