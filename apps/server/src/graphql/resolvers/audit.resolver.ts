import { Args, Query, Resolver } from '@nestjs/graphql';
import { AuditQueries } from '@trellis/projections';
import { Roles } from '../../common/auth/roles.decorator';
import { AuditFilterInput, PageInput } from '../inputs/inputs';
import { AuditPageModel } from '../models/audit.model';

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditQueries) {}

  @Query(() => AuditPageModel, { description: 'The audit trail in the order the changes happened, a page at a time.' })
  @Roles('auditor', 'admin')
  async auditTrail(
    @Args('filter', { type: () => AuditFilterInput, nullable: true }) filter?: AuditFilterInput,
    @Args('page', { type: () => PageInput, nullable: true }) page?: PageInput,
  ): Promise<AuditPageModel> {
    const found = await this.audit.trail({ ...filter }, { ...page });
    return { entries: found.items, next: found.nextCursor };
  }
}
