/**
 * The sort key of an indexed field, as two SQL expressions over the document: a float8 part and
 * a text part compared by bytes (COLLATE "C", i.e. UTF-8 byte order). Values of one field share
 * one type, so only one part varies: a number n is (n, ''), a boolean (0 or 1, ''), a string s
 * (+Infinity, s), and null or absent (-Infinity, ''), below every value — nulls first ascending,
 * last descending, as the port orders them. No part is ever SQL NULL, so "after the cursor" is
 * one row comparison on (number, text, id) that the btree index on exactly that key answers with
 * a seek; with NULLs it would need an OR branch, and a scan. Types mixed in one field still order
 * totally (null < numbers and booleans < strings), as in the SQLite adapter.
 */
import { escapeLiteral } from 'pg';
import type { IndexValue } from '../collection';
import { encodeText } from './encoding';

export interface FieldKey {
  number: string;
  text: string;
}

export function keyOf(field: string): FieldKey {
  const path = `doc -> ${escapeLiteral(field)}`;
  const value = `(${path})`;
  const type = `jsonb_typeof(${path})`;
  return {
    number:
      `(CASE ${type} WHEN 'number' THEN ${value}::float8 ` +
      `WHEN 'boolean' THEN CASE WHEN ${value}::boolean THEN 1::float8 ELSE 0::float8 END ` +
      `WHEN 'string' THEN 'Infinity'::float8 ELSE '-Infinity'::float8 END)`,
    text: `(CASE WHEN ${type} = 'string' THEN doc ->> ${escapeLiteral(field)} ELSE '' END COLLATE "C")`,
  };
}

/** The key of a value, as parameters for `keyOf`'s expressions. */
export function keyValues(value: IndexValue): [number, string] {
  if (value === null) return [-Infinity, ''];
  if (typeof value === 'string') return [Infinity, encodeText(value)];
  if (typeof value === 'boolean') return [value ? 1 : 0, ''];
  return [value, ''];
}
