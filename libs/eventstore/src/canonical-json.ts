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

// Globals read once: inside jest's vm sandbox every global lookup is an interceptor call, which
// made this function four times slower there than in production.
const quote = JSON.stringify;
const { isArray } = Array;
const { keys } = Object;
const { isFinite } = Number;
const BoxedNumber = Number;
const BoxedString = String;
const BoxedBoolean = Boolean;

function serialize(input: unknown, key: string, ancestors: Set<object>): string | undefined {
  let value = input;
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    const { toJSON } = value as { toJSON?: unknown };
    if (typeof toJSON === 'function') value = (toJSON as (key: string) => unknown).call(value, key);
    if (value instanceof BoxedNumber || value instanceof BoxedString || value instanceof BoxedBoolean) value = value.valueOf();
  }
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return isFinite(value) ? BoxedString(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('BigInt is not JSON-serializable');
    case 'object':
      if (value === null) return 'null';
      return serializeObject(value, ancestors);
    default:
      return undefined;
  }
}

function serializeObject(input: object, ancestors: Set<object>): string {
  if (ancestors.has(input)) throw new TypeError('cannot serialize a circular structure');
  ancestors.add(input);
  let text: string;
  if (isArray(input)) {
    let items = '';
    for (let index = 0; index < input.length; index += 1) {
      items += (index === 0 ? '' : ',') + (serialize(input[index], BoxedString(index), ancestors) ?? 'null');
    }
    text = `[${items}]`;
  } else {
    const record = input as Record<string, unknown>;
    let members = '';
    for (const name of keys(record).sort()) {
      const member = serialize(record[name], name, ancestors);
      if (member !== undefined) members += (members === '' ? '' : ',') + quote(name) + ':' + member;
    }
    text = `{${members}}`;
  }
  ancestors.delete(input);
  return text;
}
