import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EntityDto } from './dto/entity.dto';
import { EntityRoutes, FIELDS_BODY, reply } from './entity-routes';
import { Origin, type RequestOrigin } from './http/request-origin';

/** Entities of lifecycles registered with PUT /lifecycles/{name}. */
@ApiTags('entities')
@ApiBearerAuth()
@Controller('entities/:lifecycle')
export class CustomEntitiesController extends EntityRoutes {
  @Post()
  @ApiBody(FIELDS_BODY)
  @ApiCreatedResponse({ type: EntityDto })
  async create(@Param('lifecycle') lifecycle: string, @Body() body: unknown, @Origin() origin: RequestOrigin, @Res({ passthrough: true }) response: FastifyReply): Promise<EntityDto> {
    return reply(response, await this.entities.createCustom(lifecycle, body, origin));
  }
}
