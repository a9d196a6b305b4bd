import { Query, Resolver } from '@nestjs/graphql';
import { ProjectionEngine } from '@trellis/runtime/projections';
import { Roles } from '../../common/auth/roles.decorator';
import { LifecyclesService } from '../../lifecycles/lifecycles.service';
import { WorkflowsService } from '../../workflows/workflows.service';
import { LifecycleSummaryModel, ProjectionStatusModel, WorkflowSummaryModel } from '../models/admin.model';

@Resolver()
export class AdminResolver {
  constructor(
    private readonly engine: ProjectionEngine,
    private readonly lifecycleService: LifecyclesService,
    private readonly workflowService: WorkflowsService,
  ) {}

  @Query(() => [WorkflowSummaryModel])
  workflows() {
    return this.workflowService.list();
  }

  @Query(() => [ProjectionStatusModel], { description: 'Per projection: checkpoint, lag, status, error, rebuild progress.' })
  @Roles('admin')
  projections() {
    return this.engine.statuses();
  }

  @Query(() => [LifecycleSummaryModel])
  lifecycles() {
    return this.lifecycleService.list();
  }
}
