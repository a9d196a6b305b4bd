import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuditQueries, EXPORT_CONTENT_TYPES, type AuditEntry } from '@trellis/projections';
import type { FastifyReply } from 'fastify';
import { Roles } from '../common/auth/roles.decorator';
import { AuditService, type AuditVerification } from './audit.service';
import { AuditExportQueryDto, AuditQueryDto, AuditVerifyQueryDto } from './dto/audit-query.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
@Roles('auditor', 'admin')
export class AuditController {
  constructor(
    private readonly queries: AuditQueries,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'Audit entries in the order the changes happened; `next` is the cursor of the following page (null on the last).' })
  async trail(@Query() query: AuditQueryDto): Promise<{ entries: AuditEntry[]; next: string | null }> {
    const { after, limit, ...filter } = query;
    const page = await this.queries.trail(filter, { after, limit });
    return { entries: page.items, next: page.nextCursor };
  }

  @Get('export')
  @ApiProduces(EXPORT_CONTENT_TYPES.jsonl, EXPORT_CONTENT_TYPES.csv)
  @ApiOkResponse({ description: 'The whole (filtered) audit trail, streamed as JSON Lines or CSV.' })
  export(@Query() query: AuditExportQueryDto, @Res({ passthrough: true }) reply: FastifyReply): StreamableFile {
    const { format = 'jsonl', ...filter } = query;
    reply.header('content-disposition', `attachment; filename="audit.${format}"`);
    return new StreamableFile(this.audit.export(filter, format), { type: EXPORT_CONTENT_TYPES[format] });
  }

  @Get('verify')
  @ApiOkResponse({ description: 'Recomputes the SHA-256 hash chains; `brokenAt` names the first event that does not verify.' })
  verify(@Query() query: AuditVerifyQueryDto): Promise<AuditVerification> {
    return this.audit.verify(query.stream);
  }
}
