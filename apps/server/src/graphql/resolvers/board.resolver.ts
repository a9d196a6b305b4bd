import { Args, ID, Parent, ResolveField, Resolver, Subscription, Query } from '@nestjs/graphql';
import { ROLES } from '@trellis/domain/access';
import { BoardQueries } from '@trellis/projections';
import { ProjectRoles } from '../../common/auth/roles.decorator';
import { ReadModelChanges, type BoardChanged } from '../changes.service';
import { BoardChangeModel, BoardModel } from '../models/board.model';

@Resolver(() => BoardModel)
export class BoardResolver {
  constructor(
    private readonly boards: BoardQueries,
    private readonly changes: ReadModelChanges,
  ) {}

  @Query(() => BoardModel, { description: "A sprint's board (omitted: the project's running sprint, else its latest, else its backlog)." })
  @ProjectRoles('projectId', ...ROLES)
  board(@Args('projectId', { type: () => ID }) projectId: string, @Args('sprintId', { type: () => ID, nullable: true }) sprintId?: string) {
    return this.boards.board(projectId, sprintId ?? undefined);
  }

  @Subscription(() => BoardChangeModel, { description: "Each projected change to the project's board.", resolve: (value: BoardChanged) => value })
  @ProjectRoles('projectId', ...ROLES)
  boardChanged(@Args('projectId', { type: () => ID }) projectId: string) {
    return this.changes.boards(projectId);
  }
}

@Resolver(() => BoardChangeModel)
export class BoardChangeResolver {
  constructor(private readonly boards: BoardQueries) {}

  @ResolveField(() => BoardModel, { description: 'The board after the change (of the sprint asked for, or the default one).' })
  board(@Parent() change: BoardChanged, @Args('sprintId', { type: () => ID, nullable: true }) sprintId?: string) {
    return this.boards.board(change.projectId, sprintId ?? undefined);
  }
}
