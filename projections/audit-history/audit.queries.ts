/** GET /audit, /audit/export and GraphQL `auditTrail`: read from the audit-history model only. */
import type { ReadStore, Where } from '@trellis/readstore';
import { clientQuery, definedOnly, isoTime, pageLimit, withoutStoreFields, type Page, type PageRequest } from '../common/queries';
import { auditEntries, type AuditEntry } from './collections';

export interface AuditFilter {
  /** The entity id (a project's, an issue's, an execution's ...). */
  entity?: string;
  actor?: string;
  /** An event type, e.g. IssueTransitioned. */
  type?: string;
  /** Inclusive lower bound on when the change happened (ISO 8601). */
  from?: string;
  /** Exclusive upper bound. */
  to?: string;
}

const EXPORT_PAGE = 1000;

export class AuditQueries {
  constructor(private readonly store: ReadStore) {}

  /** Entries in the order the changes happened (ties in log order), a page at a time. */
  trail(filter: AuditFilter = {}, page: PageRequest = {}): Promise<Page<AuditEntry>> {
    const query = this.query(filter);
    const limit = pageLimit(page.limit);
    return clientQuery(async () => {
      const found = await this.store.find(auditEntries, { ...query, limit, after: page.after ?? null });
      return { items: found.items.map(withoutStoreFields), nextCursor: found.nextCursor };
    });
  }

  /** Every entry of the filter, read a page at a time: memory stays constant however long the trail. */
  async *entries(filter: AuditFilter = {}): AsyncGenerator<AuditEntry> {
    let after: string | null = null;
    do {
      const page: Page<AuditEntry> = await this.trail(filter, { after, limit: EXPORT_PAGE });
      yield* page.items;
      after = page.nextCursor;
    } while (after);
  }

  private query(filter: AuditFilter) {
    const where: Where<AuditEntry> = definedOnly({ entity: filter.entity, actor: filter.actor, type: filter.type });
    const from = filter.from === undefined ? undefined : isoTime(filter.from, 'from');
    const to = filter.to === undefined ? undefined : isoTime(filter.to, 'to');
    const range = from === undefined && to === undefined ? undefined : { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) };
    return { where, sort: { field: 'occurredAt' as const }, range };
  }
}
