/**
 * The sub-paths every entity has (API.md, Entities: GET, PATCH, transitions, approvals, history,
 * state), written once: the controllers of projects, sprints, issues and registered lifecycles
 * extend this class, and @Entity() reads which lifecycle from the concrete controller.
 */
import { Body, Get, HttpCode, Injectable, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import type { Principal } from '../common/auth/principal';
import { HistoryQueryDto, StateQueryDto } from './dto/entity-queries.dto';
import { EntityDto, PendingEntityDto } from './dto/entity.dto';
import { HistoryPageDto } from './dto/history.dto';
import { ApprovalDto, TransitionDto } from './dto/transition.dto';
import { EntitiesService, type CommandResponse } from './entities.service';
import { EntityQueries } from './entity-queries.service';
import { Entity, type EntityRef } from './entity-kinds';
import { Origin, type RequestOrigin } from './http/request-origin';

export const FIELDS_BODY = {
  description: "The entity's fields, checked against its lifecycle's `fields` schema (unknown fields are rejected).",
  schema: { type: 'object', additionalProperties: true },
};

/** Sends the status the command's outcome calls for (201 created, 202 approval pending). */
export function reply(response: FastifyReply, result: CommandResponse): EntityDto {
  response.status(result.status);
  return result.body;
}

// Decorated so that TypeScript records the constructor's parameter types, which the subclasses inherit for DI.
@Injectable()
export abstract class EntityRoutes {
  constructor(
    protected readonly entities: EntitiesService,
    protected readonly queries: EntityQueries,
  ) {}

  @Get(':id')
  @ApiParam({ name: 'id' })
  @ApiOkResponse({ type: EntityDto })
  get(@Entity() ref: EntityRef, @CurrentActor() principal: Principal): Promise<EntityDto> {
    return this.queries.get(ref, principal);
  }

  @Patch(':id')
  @ApiBody({ ...FIELDS_BODY, description: `${FIELDS_BODY.description} A null removes a field; \`expectedVersion\` guards against lost updates.` })
  @ApiOkResponse({ type: EntityDto })
  async patch(@Entity() ref: EntityRef, @Body() body: unknown, @Origin() origin: RequestOrigin, @Res({ passthrough: true }) response: FastifyReply): Promise<EntityDto> {
    return reply(response, await this.entities.changeFields(ref, body, origin));
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @ApiOkResponse({ type: EntityDto, description: 'The transition happened: the entity in its new state.' })
  @ApiAcceptedResponse({ type: PendingEntityDto, description: 'The transition needs approval: the pending request.' })
  async transition(@Entity() ref: EntityRef, @Body() dto: TransitionDto, @Origin() origin: RequestOrigin, @Res({ passthrough: true }) response: FastifyReply): Promise<EntityDto> {
    return reply(response, await this.entities.transition(ref, dto, origin));
  }

  @Post(':id/approvals')
  @HttpCode(200)
  @ApiOkResponse({ type: EntityDto, description: 'The quorum is in (the transition happened) or the request was rejected.' })
  @ApiAcceptedResponse({ type: PendingEntityDto, description: 'The approval was recorded; the quorum is not met yet.' })
  async approve(@Entity() ref: EntityRef, @Body() dto: ApprovalDto, @Origin() origin: RequestOrigin, @Res({ passthrough: true }) response: FastifyReply): Promise<EntityDto> {
    return reply(response, await this.entities.decideApproval(ref, dto, origin));
  }

  @Get(':id/history')
  @ApiOkResponse({ type: HistoryPageDto })
  history(@Entity() ref: EntityRef, @Query() query: HistoryQueryDto, @CurrentActor() principal: Principal): Promise<HistoryPageDto> {
    return this.queries.history(ref, query, principal);
  }

  @Get(':id/state')
  @ApiOkResponse({ type: EntityDto, description: 'The entity as of `at` or right after `revision`, folded from its events.' })
  state(@Entity() ref: EntityRef, @Query() query: StateQueryDto, @CurrentActor() principal: Principal): Promise<EntityDto> {
    return this.queries.stateAt(ref, query, principal);
  }
}

/** `:id` of a creation route that is not the entity's own (a project's sprints and issues). */
export const ParentId = () => Param('id');
