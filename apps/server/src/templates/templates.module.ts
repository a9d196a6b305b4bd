import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { WorkflowRuntimeModule } from '../workflows/runtime/workflow-runtime.module';
import { RegisterTemplateHandler } from './commands/register-template';
import { TEMPLATE_BODY_LIMIT, TEMPLATE_MEDIA_TYPE } from './dto/template.dto';
import { TemplatesController } from './templates.controller';

@Module({
  imports: [WorkflowRuntimeModule],
  controllers: [TemplatesController],
  providers: [RegisterTemplateHandler],
})
export class TemplatesModule implements OnModuleInit {
  constructor(private readonly adapter: HttpAdapterHost) {}

  // Handlebars source may come as text; parsed before the server starts listening.
  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    if (fastify.hasContentTypeParser(TEMPLATE_MEDIA_TYPE)) return;
    fastify.addContentTypeParser(TEMPLATE_MEDIA_TYPE, { parseAs: 'string', bodyLimit: TEMPLATE_BODY_LIMIT }, (_request, body, done) => done(null, body));
  }
}
