import { Args, ID, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { ExecutionQueries } from '@trellis/projections';
import { Roles } from '../../common/auth/roles.decorator';
import { WRITE_ROLES } from '../../entities/access/entity-access';
import type { RequestOrigin } from '../../entities/http/request-origin';
import { ExecutionsService } from '../../executions/executions.service';
import { ReadModelChanges, type ExecutionChanged } from '../changes.service';
import { GqlOrigin } from '../context';
import { JSONScalar } from '../json.scalar';
import { ExecutionFilterInput, PageInput, StartExecutionInput } from '../inputs/inputs';
import { ExecutionModel, ExecutionPageModel, ExecutionStatusModel, StartedExecutionModel } from '../models/execution.model';

@Resolver(() => ExecutionModel)
export class ExecutionsResolver {
  constructor(
    private readonly queries: ExecutionQueries,
    private readonly changes: ReadModelChanges,
    private readonly commands: ExecutionsService,
  ) {}

  @Mutation(() => StartedExecutionModel, { description: 'POST /workflows/{ref}/executions.' })
  @Roles(...WRITE_ROLES)
  startExecution(
    @Args('workflow', { description: 'The workflow ref.' }) workflow: string,
    @Args('input', { type: () => StartExecutionInput, nullable: true }) input: StartExecutionInput | undefined,
    @GqlOrigin() origin: RequestOrigin,
  ) {
    return this.commands.start(workflow, { ...input }, origin.principal, origin.requestId);
  }

  @Mutation(() => ExecutionStatusModel, { description: "POST /executions/{id}/inquiries/{task}: the answer is checked against the inquiry's schema and roles." })
  answerInquiry(
    @Args('executionId', { type: () => ID }) executionId: string,
    @Args('task') task: string,
    @Args('answer', { type: () => JSONScalar }) answer: unknown,
    @GqlOrigin() origin: RequestOrigin,
  ) {
    return this.commands.answer(executionId, task, answer, origin.principal, origin.requestId);
  }

  @Query(() => ExecutionModel, { description: 'Status, tasks with their runs and attempts, vars, output, error, waits (workflow-executions read model).' })
  execution(@Args('id', { type: () => ID }) id: string) {
    // The same read-your-writes wait as GET /executions/{id}: a query right after a mutation sees it.
    return this.commands.detail(id);
  }

  @Query(() => ExecutionPageModel)
  async executions(
    @Args('filter', { type: () => ExecutionFilterInput, nullable: true }) filter?: ExecutionFilterInput,
    @Args('page', { type: () => PageInput, nullable: true }) page?: PageInput,
  ): Promise<ExecutionPageModel> {
    const found = await this.queries.list({ ...filter }, { ...page });
    return { executions: found.items, next: found.nextCursor };
  }

  @Subscription(() => ExecutionModel, {
    description: 'The execution after each projected change to it.',
    resolve(this: ExecutionsResolver, change: ExecutionChanged) {
      return this.queries.get(change.executionId);
    },
  })
  executionChanged(@Args('id', { type: () => ID }) id: string) {
    return this.changes.executions(id);
  }
}
