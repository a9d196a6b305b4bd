/** Problems found while compiling, each tied to a YAML path and its line. */
import type { Problem, Severity } from './types';
import type { PathSegment, SourceDocument } from './yaml-source';

export function formatPath(path: PathSegment[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text ? `${text}.${segment}` : segment;
  }, '');
}

export class Problems {
  readonly list: Problem[] = [];

  constructor(private readonly source: SourceDocument) {}

  error(path: PathSegment[], message: string): void {
    this.add(path, message, 'error');
  }

  warning(path: PathSegment[], message: string): void {
    this.add(path, message, 'warning');
  }

  get hasErrors(): boolean {
    return this.list.some((p) => p.severity === 'error');
  }

  /** Errors first, then in document order. */
  sorted(): Problem[] {
    const rank = (p: Problem) => (p.severity === 'error' ? 0 : 1);
    return [...this.list].sort((a, b) => rank(a) - rank(b) || (a.line ?? 0) - (b.line ?? 0));
  }

  private add(path: PathSegment[], message: string, severity: Severity) {
    this.list.push({ path: formatPath(path), line: this.source.lineOf(path), message, severity });
  }
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** Reports keys outside `allowed`; returns the object (or undefined when it is not one). */
export function checkKeys(
  problems: Problems,
  path: PathSegment[],
  value: unknown,
  allowed: readonly string[],
  what: string,
): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) {
    problems.error(path, `${what} must be a map`);
    return undefined;
  }
  for (const name of Object.keys(value)) {
    if (!allowed.includes(name)) {
      problems.error([...path, name], `unknown key "${name}" in ${what} (allowed: ${allowed.join(', ')})`);
    }
  }
  return value;
}
