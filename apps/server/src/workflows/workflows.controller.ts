import { Body, Controller, Get, Header, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { SimulationAnswer } from '@trellis/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import type { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { DefinitionBody } from '../lifecycles/http/definition-bodies';
import { MERMAID_MEDIA_TYPE } from '../lifecycles/http/diagram-media';
import { SimulateDto } from './dto/simulate.dto';
import { RegisteredWorkflowDto, ValidationResultDto, WorkflowDto, WorkflowSummaryDto, WorkflowVersionQueryDto } from './dto/workflow.dto';
import { WorkflowsService } from './workflows.service';

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Put(':ref')
  @Roles('admin')
  @DefinitionBody()
  @ApiConsumes('application/yaml', 'text/yaml', 'application/json')
  @ApiBody({ description: 'The workflow definition (WORKFLOWS.md), at most 256 KiB.', schema: { type: 'string' } })
  @ApiOkResponse({ type: RegisteredWorkflowDto, description: '200: a new version (or the latest, unchanged); 201: the first version.' })
  async register(
    @Param('ref') ref: string,
    @Body() body: unknown,
    @CurrentActor() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RegisteredWorkflowDto> {
    const { created, body: registered } = await this.workflows.register(ref, body, principal, request.id);
    reply.status(created ? 201 : 200);
    return registered;
  }

  @Post('validate')
  @HttpCode(200)
  @DefinitionBody()
  @ApiConsumes('application/yaml', 'text/yaml', 'application/json')
  @ApiOkResponse({ type: ValidationResultDto })
  validate(@Body() body: unknown): ValidationResultDto {
    return this.workflows.validate(body);
  }

  @Post('simulate')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Order of task runs, runs, transition evaluations, status, vars, output.' })
  simulate(@Body() body: SimulateDto): SimulationAnswer {
    return this.workflows.simulate(body);
  }

  @Get()
  @ApiOkResponse({ type: [WorkflowSummaryDto] })
  list(): WorkflowSummaryDto[] {
    return this.workflows.list();
  }

  @Get(':ref')
  @ApiOkResponse({ type: WorkflowDto })
  get(@Param('ref') ref: string, @Query() query: WorkflowVersionQueryDto): WorkflowDto {
    return this.workflows.get(ref, query.version);
  }

  @Get(':ref/diagram')
  @Header('content-type', MERMAID_MEDIA_TYPE)
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Mermaid flowchart text', schema: { type: 'string' } })
  diagram(@Param('ref') ref: string, @Query() query: WorkflowVersionQueryDto): string {
    return this.workflows.diagram(ref, query.version);
  }
}
