/** Small readers shared by the section compilers: every unexpected shape becomes a problem. */
import type { Path, ProblemList } from '../problems';

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** State, superstate and transition names: identifiers, so they read well in CEL, URLs and diagrams. */
export const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Lifecycle names appear in URLs and stream names (`/entities/pull-request`, `pull-request-<id>`). */
export const LIFECYCLE_NAME = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;

export function checkKeys(value: Record<string, unknown>, allowed: readonly string[], path: Path, problems: ProblemList): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.error([...path, key], `unknown key '${key}' (expected one of: ${allowed.join(', ')})`);
  }
}

/** A map section (`states:`, `transitions:`); a missing or null section is empty. */
export function readMap(value: unknown, path: Path, problems: ProblemList): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (isRecord(value)) return value;
  problems.error(path, 'expected a map');
  return {};
}

/** `from: X` or `from: [X, Y]`. */
export function readNames(value: unknown, path: Path, problems: ProblemList): string[] {
  const list = Array.isArray(value) ? value : [value];
  const names: string[] = [];
  list.forEach((item, index) => {
    if (typeof item === 'string' && item !== '') names.push(item);
    else problems.error(Array.isArray(value) ? [...path, index] : path, 'expected a state name');
  });
  return names;
}
