import { Body, Controller, Delete, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SPRINT_LIFECYCLE } from '@trellis/domain';
import type { FastifyReply } from 'fastify';
import { EntityDto } from './dto/entity.dto';
import { ScopeDto } from './dto/transition.dto';
import { Entity, EntityLifecycle, type EntityRef } from './entity-kinds';
import { EntityRoutes, reply } from './entity-routes';
import { Origin, type RequestOrigin } from './http/request-origin';

@ApiTags('sprints')
@ApiBearerAuth()
@Controller('sprints')
@EntityLifecycle(SPRINT_LIFECYCLE)
export class SprintsController extends EntityRoutes {
  @Post(':id/scope')
  @HttpCode(200)
  @ApiOkResponse({ type: EntityDto, description: 'The sprint with the issue in its scope; the issue follows shortly (process manager).' })
  async addToScope(@Entity() sprint: EntityRef, @Body() dto: ScopeDto, @Origin() origin: RequestOrigin, @Res({ passthrough: true }) response: FastifyReply): Promise<EntityDto> {
    return reply(response, await this.entities.addToScope(sprint, dto.issueId, origin));
  }

  @Delete(':id/scope/:issueId')
  @ApiOkResponse({ type: EntityDto })
  async removeFromScope(
    @Entity() sprint: EntityRef,
    @Param('issueId') issueId: string,
    @Origin() origin: RequestOrigin,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<EntityDto> {
    return reply(response, await this.entities.removeFromScope(sprint, issueId, origin));
  }
}
