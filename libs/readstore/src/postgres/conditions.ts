/** Field conditions and ranges as a SQL WHERE clause over live documents (tombstones excluded). */
import type { IndexValue } from '../collection';
import type { FieldCondition, FindPlan } from '../query';
import { encodeText } from './encoding';
import { keyOf, keyValues } from './keys';

/** Collects the parameters of one statement, each with its type spelled out. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

export function whereClause(
  params: Params,
  conditions: readonly FieldCondition[],
  range: FindPlan['range'] = null,
  rangeField = 'id',
): string {
  // `doc IS NOT NULL` also lets the planner use the partial indexes, which carry the same clause.
  const parts = ['doc IS NOT NULL'];
  for (const condition of conditions) parts.push(conditionSql(params, condition));
  if (range) {
    if (range.gte !== undefined) parts.push(boundSql(params, rangeField, '>=', range.gte));
    else if (rangeField !== 'id') parts.push(`${keyOf(rangeField).number} > '-Infinity'::float8`);
    if (range.lt !== undefined) parts.push(boundSql(params, rangeField, '<', range.lt));
  }
  return parts.join(' AND ');
}

function conditionSql(params: Params, condition: FieldCondition): string {
  if (condition.field === 'id') {
    // The port allows only strings here.
    if ('equals' in condition) return `id = ${params.add(encodeText(condition.equals as string), 'text')}`;
    return `id = ANY(${params.add(condition.in.map((id) => encodeText(id as string)), 'text[]')})`;
  }
  const key = keyOf(condition.field);
  if ('equals' in condition) {
    const [number, text] = keyValues(condition.equals);
    return `(${key.number}, ${key.text}) = (${params.add(number, 'float8')}, ${params.add(text, 'text')})`;
  }
  if (condition.in.length === 0) return 'false';
  const keys = condition.in.map(keyValues);
  const numbers = params.add(keys.map(([number]) => number), 'float8[]');
  const texts = params.add(keys.map(([, text]) => text), 'text[]');
  return `(${key.number}, ${key.text}) IN (SELECT * FROM unnest(${numbers}, ${texts}))`;
}

function boundSql(params: Params, field: string, operator: '>=' | '<', bound: Exclude<IndexValue, null>): string {
  const [number, text] = keyValues(bound);
  if (field !== 'id') {
    const key = keyOf(field);
    return `(${key.number}, ${key.text}) ${operator} (${params.add(number, 'float8')}, ${params.add(text, 'text')})`;
  }
  // An id's key is (+Infinity, id): above every bound that is not a string.
  if (typeof bound !== 'string') return operator === '>=' ? 'true' : 'false';
  return `id ${operator} ${params.add(text, 'text')}`;
}
