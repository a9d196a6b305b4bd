/** Field conditions and ranges as a SQL WHERE clause over live documents (tombstones excluded). */
import type { FieldCondition, FindPlan } from '../query';
import { columnOf, NULL_KEY, sqlValue } from './tables';

export interface SqlClause {
  sql: string;
  params: (number | string)[];
}

export function whereClause(conditions: readonly FieldCondition[], range: FindPlan['range'] = null, rangeField = 'id'): SqlClause {
  // `doc IS NOT NULL` also lets the planner use the partial indexes, which carry the same clause.
  const parts = ['doc IS NOT NULL'];
  const params: (number | string)[] = [];
  for (const condition of conditions) {
    const column = columnOf(condition.field);
    if ('equals' in condition) {
      parts.push(`${column} = ?`);
      params.push(sqlValue(condition.equals));
      continue;
    }
    const values = condition.in.filter((value) => value !== null);
    const alternatives: string[] = [];
    if (values.length > 0) {
      // One parameter for the whole list keeps one prepared statement per query shape.
      alternatives.push(`${column} IN (SELECT value FROM json_each(?))`);
      params.push(jsonList(values.map(sqlValue)));
    }
    if (values.length < condition.in.length) alternatives.push(`${column} = ${NULL_KEY}`);
    parts.push(alternatives.length === 0 ? '0' : `(${alternatives.join(' OR ')})`);
  }
  if (range) {
    const column = columnOf(rangeField);
    if (range.gte !== undefined) {
      parts.push(`${column} >= ?`);
      params.push(sqlValue(range.gte));
    } else {
      parts.push(`${column} > ${NULL_KEY}`);
    }
    if (range.lt !== undefined) {
      parts.push(`${column} < ?`);
      params.push(sqlValue(range.lt));
    }
  }
  return { sql: parts.join(' AND '), params };
}

/**
 * The list as JSON that json_each reads back as the very values a bound parameter would be.
 * JSON.stringify writes an integer beyond 2^53 in plain digits, which json_each would read as that
 * exact integer, not the double the value is (and the columns hold): the exponent form keeps it a
 * double, so `in` matches what `equals` does.
 */
function jsonList(values: readonly (number | string)[]): string {
  const items = values.map((value) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value) ? value.toExponential() : JSON.stringify(value),
  );
  return `[${items.join(',')}]`;
}
