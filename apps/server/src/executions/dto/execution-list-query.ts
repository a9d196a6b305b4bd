/**
 * GET /executions' query parameters: `workflow`, `status`, `after`, `limit`, and any other one as a
 * value of the workflow's `search:` field. Each is given once, as text; every violation is reported
 * in one 400. `after` is the `next` of the previous page, an opaque cursor of the read model: the
 * read store rejects one it did not issue for this listing (400 naming `after`).
 */
import { DomainError } from '@trellis/domain';
import type { ExecutionFilter, PageRequest } from '@trellis/projections';
import { EXECUTION_STATUSES } from './execution.dto';

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 500;

export function parseListQuery(query: Record<string, unknown>): { filter: ExecutionFilter; page: PageRequest } {
  const { workflow, status, after, limit, ...search } = query;
  const violations: Array<{ path: string; message: string }> = [];
  const text = (name: string, value: unknown): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') violations.push({ path: name, message: 'must be given once, as text' });
    return typeof value === 'string' ? value : undefined;
  };
  const workflowText = text('workflow', workflow);
  const statusText = text('status', status);
  if (statusText !== undefined && !EXECUTION_STATUSES.includes(statusText)) violations.push({ path: 'status', message: `must be one of ${EXECUTION_STATUSES.join(', ')}` });
  const afterText = text('after', after);
  const limitText = text('limit', limit);
  const limitValue = limitText === undefined ? DEFAULT_LIST_LIMIT : Number(limitText);
  if (!Number.isInteger(limitValue) || limitValue < 1 || limitValue > MAX_LIST_LIMIT) {
    violations.push({ path: 'limit', message: `must be a whole number from 1 to ${MAX_LIST_LIMIT}` });
  }
  const searchFields: Record<string, string> = {};
  for (const [name, value] of Object.entries(search)) {
    const given = text(name, value);
    if (given !== undefined) searchFields[name] = given;
  }
  if (violations.length) throw new DomainError('validation_failed', `invalid query: ${violations.map((v) => `${v.path} ${v.message}`).join('; ')}`, { violations });
  return { filter: { workflow: workflowText, status: statusText, search: searchFields }, page: { after: afterText, limit: limitValue } };
}
