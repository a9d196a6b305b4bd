import type { PhysicalCollection } from '../collection';
import type { FieldCondition } from '../query';
import { Params, whereClause } from './conditions';
import type { Queryable } from './connection';
import type { Tables } from './tables';

export async function countDocuments(
  db: Queryable,
  tables: Tables,
  target: PhysicalCollection,
  conditions: readonly FieldCondition[],
): Promise<number> {
  const params = new Params();
  const where = whereClause(params, conditions);
  const { rows } = await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${tables.table(target.name)} WHERE ${where}`, params.values);
  return rows[0].n;
}
