/**
 * Query plans as MongoDB filters and sorts. MongoDB already orders null and absent values
 * first and compares strings by bytes, as the port requires; what needs care is the keyset
 * condition, because `$gt`/`$lt` never match null (type bracketing), so nulls get their own
 * branch.
 */
import type { Document, Sort } from 'mongodb';
import type { IndexValue } from '../collection';
import type { CursorPosition, SortDirection } from '../cursor';
import type { FieldCondition, FindPlan } from '../query';
import { LIVE } from './documents';

export function pathOf(field: string): string {
  return field === 'id' ? '_id' : field;
}

export function conditionsFilter(conditions: readonly FieldCondition[], extra: readonly Document[] = []): Document {
  const clauses: Document[] = [LIVE];
  for (const condition of conditions) {
    const path = pathOf(condition.field);
    clauses.push('equals' in condition ? { [path]: condition.equals } : { [path]: { $in: [...condition.in] } });
  }
  return { $and: [...clauses, ...extra] };
}

export function findFilter(plan: FindPlan): Document {
  const path = pathOf(plan.sort.field);
  const extra: Document[] = [];
  if (plan.range) {
    const bounds: Document = {};
    if (plan.range.gte !== undefined) bounds.$gte = plan.range.gte;
    if (plan.range.lt !== undefined) bounds.$lt = plan.range.lt;
    extra.push({ [path]: { $ne: null, ...bounds } });
  }
  if (plan.after) extra.push(afterFilter(path, plan.sort.direction, plan.after));
  return conditionsFilter(plan.conditions, extra);
}

export function findSort(plan: FindPlan): Sort {
  const order = plan.sort.direction === 'asc' ? 1 : -1;
  const path = pathOf(plan.sort.field);
  return path === '_id' ? { _id: order } : { [path]: order, _id: order };
}

/** Documents strictly after (value, id) in the order (field, _id) with nulls lowest. */
function afterFilter(path: string, direction: SortDirection, { value, id }: CursorPosition): Document {
  const beyond = direction === 'asc' ? '$gt' : '$lt';
  if (path === '_id') return { _id: { [beyond]: id } };
  const tie: Document = { [path]: value, _id: { [beyond]: id } };
  if (value === null) {
    // Ascending, every non-null value is still ahead; descending, only nulls remain.
    return direction === 'asc' ? { $or: [tie, { [path]: { $ne: null } }] } : tie;
  }
  const branches: Document[] = [{ [path]: { [beyond]: value as Exclude<IndexValue, null> } }, tie];
  if (direction === 'desc') branches.push({ [path]: null });
  return { $or: branches };
}
