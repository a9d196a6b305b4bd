/**
 * A definition is rejected with every problem at once, each pointing at its YAML path and line,
 * so an author fixes a file in one round trip (API.md: 422 invalid_definition).
 */
export type Severity = 'error' | 'warning';

export interface Problem {
  /** `transitions.ready.guard.when`, `hooks[0].on_enter`: the same path a reader follows in the file. */
  path: string;
  /** 1-based; 0 when the problem is not tied to a place in the file. */
  line: number;
  message: string;
  severity: Severity;
}

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export function formatPath(path: Path): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** Collects problems; `locate` turns a path into the line of the deepest node that exists. */
export class ProblemList {
  readonly items: Problem[] = [];

  constructor(private readonly locate: (path: Path) => number) {}

  error(path: Path, message: string): void {
    this.add(path, message, 'error');
  }

  warning(path: Path, message: string): void {
    this.add(path, message, 'warning');
  }

  add(path: Path, message: string, severity: Severity, line = this.locate(path)): void {
    this.items.push({ path: formatPath(path), line, message, severity });
  }

  get hasErrors(): boolean {
    return this.items.some((p) => p.severity === 'error');
  }

  get warnings(): Problem[] {
    return this.items.filter((p) => p.severity === 'warning');
  }

  /** In file order, so a reader can walk the file top to bottom. */
  sorted(): Problem[] {
    return [...this.items].sort((a, b) => a.line - b.line || a.path.localeCompare(b.path));
  }
}
