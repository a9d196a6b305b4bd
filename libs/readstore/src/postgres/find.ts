import type { PhysicalCollection, ReadDocument, Stored } from '../collection';
import type { FindPlan } from '../query';
import { Params, whereClause } from './conditions';
import type { Queryable } from './connection';
import { encodeText } from './encoding';
import { keyOf, keyValues } from './keys';
import { DOCUMENT_COLUMNS, toDocument, type DocumentRow } from './rows';
import type { Tables } from './tables';

export async function findDocuments(db: Queryable, tables: Tables, target: PhysicalCollection, plan: FindPlan): Promise<Stored<ReadDocument>[]> {
  const { field, direction } = plan.sort;
  const params = new Params();
  let where = whereClause(params, plan.conditions, plan.range, field);
  // The index key is (sort key, id), so "after the cursor" is one row comparison on it.
  const key = field === 'id' ? ['id'] : [keyOf(field).number, keyOf(field).text, 'id'];
  if (plan.after) {
    const [number, text] = keyValues(plan.after.value);
    const id = params.add(encodeText(plan.after.id), 'text');
    const cursor = field === 'id' ? [id] : [params.add(number, 'float8'), params.add(text, 'text'), id];
    where += ` AND (${key.join(', ')}) ${direction === 'asc' ? '>' : '<'} (${cursor.join(', ')})`;
  }
  const order = key.map((part) => `${part} ${direction === 'asc' ? 'ASC' : 'DESC'}`).join(', ');
  const sql = `SELECT ${DOCUMENT_COLUMNS} FROM ${tables.table(target.name)} WHERE ${where} ORDER BY ${order} LIMIT ${params.add(plan.fetch, 'integer')}`;
  const { rows } = await db.query<DocumentRow>(sql, params.values);
  return rows.map(toDocument);
}
