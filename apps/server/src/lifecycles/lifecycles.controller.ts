import { Body, Controller, Get, Header, Headers, Param, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import type { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { LifecycleDto, LifecycleSummaryDto, RegisteredLifecycleDto } from './dto/lifecycle.dto';
import { LifecycleVersionQueryDto } from './dto/lifecycle-version-query.dto';
import { DefinitionBody } from './http/definition-bodies';
import { MERMAID_MEDIA_TYPE } from './http/diagram-media';
import { LifecyclesService } from './lifecycles.service';

@ApiTags('lifecycles')
@ApiBearerAuth()
@Controller('lifecycles')
export class LifecyclesController {
  constructor(private readonly lifecycles: LifecyclesService) {}

  @Put(':name')
  @Roles('admin')
  @DefinitionBody()
  @ApiConsumes('application/yaml', 'text/yaml', 'application/json')
  @ApiBody({ description: 'The lifecycle definition (LIFECYCLES.md), at most 256 KiB.', schema: { type: 'string' } })
  @ApiOkResponse({ type: RegisteredLifecycleDto, description: '200: a new version of an existing lifecycle (or the latest, unchanged); 201: its first version.' })
  async register(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentActor() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RegisteredLifecycleDto> {
    const { created, body: registered } = await this.lifecycles.register(name, body, principal, request.id);
    reply.status(created ? 201 : 200);
    return registered;
  }

  @Get()
  @ApiOkResponse({ type: [LifecycleSummaryDto] })
  list(): LifecycleSummaryDto[] {
    return this.lifecycles.list();
  }

  @Get(':name')
  @ApiOkResponse({ type: LifecycleDto })
  get(@Param('name') name: string, @Query() query: LifecycleVersionQueryDto): LifecycleDto {
    return this.lifecycles.get(name, query.version);
  }

  @Get(':name/diagram')
  @Header('content-type', MERMAID_MEDIA_TYPE)
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Mermaid stateDiagram-v2 text', schema: { type: 'string' } })
  diagram(@Param('name') name: string, @Query() query: LifecycleVersionQueryDto, @Headers('accept') accept?: string): string {
    return this.lifecycles.diagram(name, query.version, accept);
  }
}
