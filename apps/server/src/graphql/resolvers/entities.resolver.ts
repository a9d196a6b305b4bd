/** Entities by id and their commands, through the same services as the entity REST endpoints. */
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ISSUE_LIFECYCLE, SPRINT_LIFECYCLE } from '@trellis/domain';
import type { Principal } from '../../common/auth/principal';
import { EntitiesService } from '../../entities/entities.service';
import { PROJECT_LIFECYCLE } from '../../entities/entity-kinds';
import { EntityQueries } from '../../entities/entity-queries.service';
import type { RequestOrigin } from '../../entities/http/request-origin';
import { GqlOrigin, GqlPrincipal } from '../context';
import { ApprovalInput, TransitionInput } from '../inputs/inputs';
import { EntityModel } from '../models/entity.model';

@Resolver(() => EntityModel)
export class EntitiesResolver {
  constructor(
    private readonly queries: EntityQueries,
    private readonly entities: EntitiesService,
  ) {}

  @Query(() => EntityModel)
  project(@Args('id', { type: () => ID }) id: string, @GqlPrincipal() principal: Principal) {
    return this.queries.get({ lifecycle: PROJECT_LIFECYCLE, id }, principal);
  }

  @Query(() => EntityModel)
  sprint(@Args('id', { type: () => ID }) id: string, @GqlPrincipal() principal: Principal) {
    return this.queries.get({ lifecycle: SPRINT_LIFECYCLE, id }, principal);
  }

  @Query(() => EntityModel)
  issue(@Args('id', { type: () => ID }) id: string, @GqlPrincipal() principal: Principal) {
    return this.queries.get({ lifecycle: ISSUE_LIFECYCLE, id }, principal);
  }

  @Mutation(() => EntityModel, { description: 'POST /{lifecycle}s/{id}/transitions; `pendingApproval` is set when the transition awaits approvals.' })
  async transition(
    @Args('lifecycle', { description: 'project, sprint, issue, or a registered lifecycle' }) lifecycle: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: TransitionInput,
    @GqlOrigin() origin: RequestOrigin,
  ) {
    return (await this.entities.transition({ lifecycle, id }, input, origin)).body;
  }

  @Mutation(() => EntityModel, { description: 'POST /{lifecycle}s/{id}/approvals.' })
  async approve(
    @Args('lifecycle') lifecycle: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: ApprovalInput,
    @GqlOrigin() origin: RequestOrigin,
  ) {
    return (await this.entities.decideApproval({ lifecycle, id }, input, origin)).body;
  }
}
