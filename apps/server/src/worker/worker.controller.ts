import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import type { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { WRITE_ROLES } from '../entities/access/entity-access';
import { ClaimRunsCommand, ReportRunCommand } from './commands/worker-commands';
import { ClaimDto, ClaimedRunDto, CompleteRunDto, FailRunDto, HeartbeatDto, LeaseDto, ReportedRunDto } from './dto/worker.dto';

@ApiTags('workers')
@ApiBearerAuth()
@Roles(...WRITE_ROLES)
@Controller('worker')
export class WorkerController {
  constructor(private readonly commands: CommandBus) {}

  @Post('claim')
  @HttpCode(200)
  @ApiOkResponse({ type: [ClaimedRunDto], description: 'The runs claimed (possibly none once waitMs has passed).' })
  claim(@Body() body: ClaimDto, @CurrentActor() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<ClaimedRunDto[]> {
    // A worker that hangs up while waiting must not be handed runs it will never see.
    const gone = new AbortController();
    reply.raw.once('close', () => gone.abort());
    return this.commands.execute(new ClaimRunsCommand(body, principal.actor, gone.signal));
  }

  @Post('runs/:runId/heartbeat')
  @HttpCode(200)
  @ApiOkResponse({ type: LeaseDto })
  heartbeat(@Param('runId') runId: string, @Body() body: HeartbeatDto, @CurrentActor() principal: Principal): Promise<LeaseDto> {
    return this.commands.execute(new ReportRunCommand(runId, body.fencingToken, { kind: 'heartbeat' }, principal.actor)) as Promise<LeaseDto>;
  }

  @Post('runs/:runId/complete')
  @HttpCode(200)
  @ApiOkResponse({ type: ReportedRunDto })
  complete(@Param('runId') runId: string, @Body() body: CompleteRunDto, @CurrentActor() principal: Principal): Promise<ReportedRunDto> {
    return this.commands.execute(new ReportRunCommand(runId, body.fencingToken, { kind: 'complete', result: body.result }, principal.actor)) as Promise<ReportedRunDto>;
  }

  @Post('runs/:runId/fail')
  @HttpCode(200)
  @ApiOkResponse({ type: ReportedRunDto })
  fail(@Param('runId') runId: string, @Body() body: FailRunDto, @CurrentActor() principal: Principal): Promise<ReportedRunDto> {
    return this.commands.execute(new ReportRunCommand(runId, body.fencingToken, { kind: 'fail', error: body.error }, principal.actor)) as Promise<ReportedRunDto>;
  }
}
