import type { PhysicalCollection, ReadDocument, Stored } from '../collection';
import type { FindPlan } from '../query';
import { whereClause } from './conditions';
import { DOCUMENT_COLUMNS, toDocument, type DocumentRow } from './rows';
import { columnOf, quoted, sqlValue, type Tables } from './tables';

export function findDocuments(tables: Tables, target: PhysicalCollection, plan: FindPlan): Stored<ReadDocument>[] {
  const { field, direction } = plan.sort;
  const where = whereClause(plan.conditions, plan.range, field);
  const column = columnOf(field);
  const order = direction === 'asc' ? 'ASC' : 'DESC';
  const beyond = direction === 'asc' ? '>' : '<';

  let sql = `SELECT ${DOCUMENT_COLUMNS} FROM ${quoted(target.name)} WHERE ${where.sql}`;
  const params = [...where.params];
  if (plan.after) {
    // The index key is (field, id), so "after the cursor" is one row-value comparison on it.
    if (field === 'id') {
      sql += ` AND id ${beyond} ?`;
      params.push(plan.after.id);
    } else {
      sql += ` AND (${column}, id) ${beyond} (?, ?)`;
      params.push(sqlValue(plan.after.value), plan.after.id);
    }
  }
  sql += field === 'id' ? ` ORDER BY id ${order}` : ` ORDER BY ${column} ${order}, id ${order}`;
  sql += ' LIMIT ?';
  params.push(plan.fetch);

  return tables.statement<unknown[], DocumentRow>(target.name, sql).all(...params).map(toDocument);
}
