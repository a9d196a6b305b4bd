import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import type { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { HistoryQueryDto } from '../entities/dto/entity-queries.dto';
import { HistoryPageDto } from '../entities/dto/history.dto';
import { WRITE_ROLES } from '../entities/access/entity-access';
import { MERMAID_MEDIA_TYPE } from '../lifecycles/http/diagram-media';
import { AnswerInquiryDto, CancelExecutionDto, ExecutionPageDto, ExecutionStatusDto, RetryExecutionDto, StartedExecutionDto, StartExecutionDto } from './dto/execution.dto';
import type { ExecutionViewDto } from './dto/execution-view.dto';
import { ExecutionsService } from './executions.service';

@ApiTags('executions')
@ApiBearerAuth()
@Controller()
export class ExecutionsController {
  constructor(private readonly executions: ExecutionsService) {}

  @Post('workflows/:ref/executions')
  @HttpCode(202)
  @Roles(...WRITE_ROLES)
  @ApiAcceptedResponse({ type: StartedExecutionDto })
  start(@Param('ref') ref: string, @Body() body: StartExecutionDto, @CurrentActor() principal: Principal, @Req() request: FastifyRequest): Promise<StartedExecutionDto> {
    return this.executions.start(ref, body, principal, request.id);
  }

  @Get('executions')
  @ApiQuery({ name: 'workflow', required: false })
  @ApiQuery({ name: 'status', required: false })
  @ApiQuery({ name: 'after', required: false, description: 'The `next` of the previous page (an opaque cursor).' })
  @ApiQuery({ name: 'limit', required: false, description: 'From 1 to 500; default 50.' })
  @ApiOkResponse({
    type: ExecutionPageDto,
    description: 'Oldest first, from the workflow-executions read model (it may lag a command by a few milliseconds). Any other query parameter filters by a `search:` field of the workflow.',
  })
  list(@Query() query: Record<string, unknown>): Promise<ExecutionPageDto> {
    return this.executions.list(query);
  }

  @Get('executions/:id')
  @ApiOkResponse({
    description:
      'Status, tasks and their runs (with transition evaluations), vars, output, error, timings, from the workflow-executions read model; the answer waits (up to about 2 s) until the read model holds every event the execution had when asked.',
  })
  get(@Param('id') id: string): Promise<ExecutionViewDto> {
    return this.executions.get(id);
  }

  @Get('executions/:id/history')
  @ApiOkResponse({ type: HistoryPageDto })
  history(@Param('id') id: string, @Query() query: HistoryQueryDto): Promise<HistoryPageDto> {
    return this.executions.history(id, query);
  }

  @Get('executions/:id/diagram')
  @Header('content-type', MERMAID_MEDIA_TYPE)
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Mermaid flowchart, tasks coloured by the status of their latest run', schema: { type: 'string' } })
  diagram(@Param('id') id: string): Promise<string> {
    return this.executions.diagram(id);
  }

  @Post('executions/:id/pause')
  @HttpCode(202)
  @Roles(...WRITE_ROLES)
  @ApiAcceptedResponse({ type: ExecutionStatusDto })
  pause(@Param('id') id: string, @CurrentActor() principal: Principal, @Req() request: FastifyRequest): Promise<ExecutionStatusDto> {
    return this.executions.control(id, 'pause', principal, request.id);
  }

  @Post('executions/:id/resume')
  @HttpCode(202)
  @Roles(...WRITE_ROLES)
  @ApiAcceptedResponse({ type: ExecutionStatusDto })
  resume(@Param('id') id: string, @CurrentActor() principal: Principal, @Req() request: FastifyRequest): Promise<ExecutionStatusDto> {
    return this.executions.control(id, 'resume', principal, request.id);
  }

  @Post('executions/:id/cancel')
  @HttpCode(202)
  @Roles(...WRITE_ROLES)
  @ApiAcceptedResponse({ type: ExecutionStatusDto })
  cancel(@Param('id') id: string, @Body() body: CancelExecutionDto, @CurrentActor() principal: Principal, @Req() request: FastifyRequest): Promise<ExecutionStatusDto> {
    return this.executions.control(id, 'cancel', principal, request.id, { reason: body.reason });
  }

  @Post('executions/:id/retry')
  @HttpCode(202)
  @Roles(...WRITE_ROLES)
  @ApiAcceptedResponse({ type: ExecutionStatusDto })
  retry(@Param('id') id: string, @Body() body: RetryExecutionDto, @CurrentActor() principal: Principal, @Req() request: FastifyRequest): Promise<ExecutionStatusDto> {
    return this.executions.control(id, 'retry', principal, request.id, { tasks: body.tasks });
  }

  @Post('executions/:id/inquiries/:task')
  @HttpCode(200)
  @ApiOkResponse({ type: ExecutionStatusDto })
  answer(
    @Param('id') id: string,
    @Param('task') task: string,
    @Body() body: AnswerInquiryDto,
    @CurrentActor() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<ExecutionStatusDto & { task: string }> {
    return this.executions.answer(id, task, body.answer, principal, request.id);
  }
}
