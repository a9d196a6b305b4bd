/**
 * Strings as PostgreSQL can hold them. Neither text nor jsonb accepts U+0000, which the port
 * allows anywhere (ids, values, nested keys), so strings cross an escape instead: U+0001 is the
 * escape character, U+0000 is stored as U+0001 U+0001 and U+0001 as U+0001 U+0002. The codes are
 * prefix-free and ordered like the characters they stand for, so equality and UTF-8 byte order
 * (COLLATE "C") of stored strings are those of the originals: lookups, ranges and keyset cursors
 * stay right. Strings holding neither character — all but exotic ones — are stored unchanged.
 *
 * (Lone UTF-16 surrogates, which JSON.stringify writes as \ud8xx escapes, are refused by jsonb
 * and so by this store; they are not text in any encoding PostgreSQL stores.)
 */

export function encodeText(value: string): string {
  if (!/[\u0000\u0001]/.test(value)) return value;
  return value.replace(/[\u0000\u0001]/g, (character) => (character === '\u0000' ? '\u0001\u0001' : '\u0001\u0002'));
}

/**
 * The same escape on JSON text, where JSON.stringify writes both characters as \u escapes.
 * Escapes are matched whole from each backslash on, so an escaped backslash followed by the
 * letters "u0000" is left alone.
 */
export function encodeJson(json: string): string {
  if (!json.includes('\\u000')) return json;
  return json.replace(/\\(?:u000([01])|[\s\S])/g, (escape: string, code?: string) =>
    code === undefined ? escape : code === '0' ? '\\u0001\\u0001' : '\\u0001\\u0002',
  );
}

/** jsonb text as the server prints it (control characters as lower-case \u escapes), decoded. */
export function decodeJson(text: string): unknown {
  const json = !text.includes('\\u0001')
    ? text
    : text.replace(/\\(?:u0001\\u000([12])|[\s\S])/g, (escape: string, code?: string) =>
        code === undefined ? escape : code === '1' ? '\\u0000' : '\\u0001',
      );
  return JSON.parse(json);
}
