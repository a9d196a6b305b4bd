import { Args, ID, Query, Resolver, Subscription } from '@nestjs/graphql';
import { ExecutionQueries } from '@trellis/projections';
import { ReadModelChanges, type ExecutionChanged } from '../changes.service';
import { ExecutionFilterInput, PageInput } from '../inputs/inputs';
import { ExecutionModel, ExecutionPageModel } from '../models/execution.model';

@Resolver(() => ExecutionModel)
export class ExecutionsResolver {
  constructor(
    private readonly queries: ExecutionQueries,
    private readonly changes: ReadModelChanges,
  ) {}

  @Query(() => ExecutionModel, { description: 'Status, tasks with their runs and attempts, vars, output, error, waits (workflow-executions read model).' })
  execution(@Args('id', { type: () => ID }) id: string) {
    return this.queries.get(id);
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
