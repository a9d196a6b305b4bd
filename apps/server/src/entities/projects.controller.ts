import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { ISSUE_LIFECYCLE, SPRINT_LIFECYCLE } from '@trellis/domain';
import type { FastifyReply } from 'fastify';
import { EntityDto } from './dto/entity.dto';
import { EntityLifecycle, PROJECT_LIFECYCLE } from './entity-kinds';
import { EntityRoutes, FIELDS_BODY, ParentId, reply } from './entity-routes';
import { Origin, type RequestOrigin } from './http/request-origin';

@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects')
@EntityLifecycle(PROJECT_LIFECYCLE)
export class ProjectsController extends EntityRoutes {
  @Post()
  @ApiBody({ ...FIELDS_BODY, schema: { type: 'object', required: ['key', 'name'], properties: { key: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' } } } })
  @ApiCreatedResponse({ type: EntityDto })
  async create(@Body() body: unknown, @Origin() origin: RequestOrigin, @Res({ passthrough: true }) response: FastifyReply): Promise<EntityDto> {
    return reply(response, await this.entities.createProject(body, origin));
  }

  @Post(':id/sprints')
  @ApiBody({ ...FIELDS_BODY, schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, goal: { type: 'string' } } } })
  @ApiCreatedResponse({ type: EntityDto })
  async createSprint(@ParentId() projectId: string, @Body() body: unknown, @Origin() origin: RequestOrigin, @Res({ passthrough: true }) response: FastifyReply): Promise<EntityDto> {
    return reply(response, await this.entities.createInProject(projectId, SPRINT_LIFECYCLE, body, origin));
  }

  @Post(':id/issues')
  @ApiBody({
    ...FIELDS_BODY,
    schema: { type: 'object', required: ['title'], properties: { title: { type: 'string' }, points: { type: 'integer' }, assignee: { type: 'string' } }, additionalProperties: true },
  })
  @ApiCreatedResponse({ type: EntityDto })
  async createIssue(@ParentId() projectId: string, @Body() body: unknown, @Origin() origin: RequestOrigin, @Res({ passthrough: true }) response: FastifyReply): Promise<EntityDto> {
    return reply(response, await this.entities.createInProject(projectId, ISSUE_LIFECYCLE, body, origin));
  }
}
