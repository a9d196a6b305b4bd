import { Body, Controller, Get, Param, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@trellis/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import type { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { WorkflowRuntimeHost } from '../workflows/runtime/workflow-runtime.host';
import { RegisterTemplateCommand } from './commands/register-template';
import { RegisteredTemplateDto, TEMPLATE_MEDIA_TYPE, TemplateDto } from './dto/template.dto';

/** Handlebars templates for core.render, stored as events (template-<name> streams). */
@ApiTags('templates')
@ApiBearerAuth()
@Controller('templates')
export class TemplatesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly host: WorkflowRuntimeHost,
  ) {}

  @Put(':name')
  @Roles('admin')
  @ApiConsumes(TEMPLATE_MEDIA_TYPE, 'application/json')
  @ApiOkResponse({ type: RegisteredTemplateDto, description: '200: a new version (or the latest, unchanged); 201: the first version.' })
  async register(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentActor() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RegisteredTemplateDto> {
    const registered = await this.commands.execute(
      new RegisterTemplateCommand(name, sourceOf(body), { actor: principal.actor, occurredAt: new Date().toISOString(), correlationId: request.id }),
    );
    reply.status(registered.created ? 201 : 200);
    return { name: registered.name, version: registered.version };
  }

  @Get(':name')
  @ApiOkResponse({ type: TemplateDto })
  get(@Param('name') name: string): TemplateDto {
    const template = this.host.runtime.templates.get(name);
    if (!template) throw new DomainError('not_found', `no template '${name}'`, { template: name });
    return { name: template.name, version: template.version, source: template.source, registeredAt: template.registeredAt, registeredBy: template.registeredBy };
  }
}

function sourceOf(body: unknown): string {
  if (typeof body === 'string') return body;
  const source = (body as { source?: unknown } | null)?.source;
  if (body && typeof body === 'object' && typeof source === 'string' && Object.keys(body).length === 1) return source;
  throw new DomainError('validation_failed', `a template is Handlebars text (${TEMPLATE_MEDIA_TYPE}) or JSON {"source": "..."}`, {
    violations: [{ path: 'source', message: 'must be text' }],
  });
}
