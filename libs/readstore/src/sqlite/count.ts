import type { PhysicalCollection } from '../collection';
import type { FieldCondition } from '../query';
import { whereClause } from './conditions';
import { quoted, type Tables } from './tables';

export function countDocuments(tables: Tables, target: PhysicalCollection, conditions: readonly FieldCondition[]): number {
  const where = whereClause(conditions);
  const sql = `SELECT count(*) AS n FROM ${quoted(target.name)} WHERE ${where.sql}`;
  return tables.statement<unknown[], { n: number }>(target.name, sql).get(...where.params)!.n;
}
