/**
 * JSON values in, JSON values out. CEL integers are BigInt, so an integral JSON number must become
 * one or `vars.attempts + 1` fails with "no such overload: double + int".
 */

/** Plain objects from any realm (structuredClone under jest's vm builds them from another one). */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

// Execution state is immutable, so a converted object stays valid as long as the object lives.
const converted = new WeakMap<object, unknown>();

export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (value === null || typeof value !== 'object') return value;
  const cached = converted.get(value);
  if (cached !== undefined) return cached;
  let result: unknown = value;
  if (Array.isArray(value)) result = Array.from(value, toCel);
  else if (isPlainRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toCel(v);
    result = out;
  }
  converted.set(value, result);
  if (result !== value && typeof result === 'object' && result) converted.set(result, result);
  return result;
}

/** CEL ints arrive as bigint and maps may arrive as Map: give callers plain JSON values. */
export function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return Array.from(value, fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCel(v)]));
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object' && 'value' in value && value.constructor?.name === 'UnsignedInt') {
    return Number((value as { value: bigint }).value);
  }
  if (isPlainRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v)]));
  }
  return value;
}

/** How a value reads inside text around `{{ }}`. */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
