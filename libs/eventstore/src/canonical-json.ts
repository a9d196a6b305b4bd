/**
 * Canonical JSON: JSON.stringify's output with object keys sorted (by UTF-16 code units, as
 * Array.prototype.sort does) at every depth. Hashes are computed over this text, so the same
 * event hashes the same in every adapter and after a round trip through any JSON store.
 *
 * Follows JSON.stringify's rules exactly (toJSON, dropped undefined/function/symbol members,
 * null for them inside arrays, null for non-finite numbers) so that
 * canonicalJson(JSON.parse(canonicalJson(x))) === canonicalJson(x).
 */
export function canonicalJson(value: unknown): string {
  const text = serialize(value, '', new Set());
  if (text === undefined) throw new TypeError('value is not JSON-serializable');
  return text;
}

function serialize(input: unknown, key: string, ancestors: Set<object>): string | undefined {
  let value = input;
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();

  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('BigInt is not JSON-serializable');
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';

  const object = value as object;
  if (ancestors.has(object)) throw new TypeError('cannot serialize a circular structure');
  ancestors.add(object);
  let text: string;
  if (Array.isArray(object)) {
    const items = object.map((item, index) => serialize(item, String(index), ancestors) ?? 'null');
    text = `[${items.join(',')}]`;
  } else {
    const record = object as Record<string, unknown>;
    const members: string[] = [];
    for (const name of Object.keys(record).sort()) {
      const member = serialize(record[name], name, ancestors);
      if (member !== undefined) members.push(`${JSON.stringify(name)}:${member}`);
    }
    text = `{${members.join(',')}}`;
  }
  ancestors.delete(object);
  return text;
}
