/**
 * YAML text in, plain value out, plus the line of every path, so each problem can say where it is.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

export type PathSegment = string | number;

export interface SourceDocument {
  value: unknown;
  /** Line of the path, or of its nearest ancestor that has one. */
  lineOf(path: PathSegment[]): number | null;
  errors: Array<{ message: string; line: number | null }>;
}

const key = (path: PathSegment[]) => path.join('\u0000');

export function parseYamlSource(text: string): SourceDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lines = new Map<string, number>();
  const lineAt = (offset: number | undefined) => (offset === undefined ? null : lineCounter.linePos(offset).line);

  const walk = (node: unknown, path: PathSegment[]) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const at = lineAt((pair.key as Node | null)?.range?.[0]);
        if (at !== null) lines.set(key([...path, name]), at);
        walk(pair.value, [...path, name]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const at = lineAt((item as Node | null)?.range?.[0]);
        if (at !== null) lines.set(key([...path, index]), at);
        walk(item, [...path, index]);
      });
    }
  };
  walk(doc.contents, []);
  const rootLine = lineAt((doc.contents as Node | null)?.range?.[0]) ?? 1;

  const errors = doc.errors.map((error) => ({
    message: error.message.split('\n')[0],
    line: error.linePos?.[0]?.line ?? lineAt(error.pos?.[0]),
  }));
  const value = errors.length ? undefined : doc.toJS({ maxAliasCount: 100 });
  return {
    value,
    errors,
    lineOf(path) {
      for (let length = path.length; length > 0; length--) {
        const line = lines.get(key(path.slice(0, length)));
        if (line !== undefined) return line;
      }
      return rootLine;
    },
  };
}

/** A definition given as an object (JSON body) has no lines. */
export function objectSource(value: unknown): SourceDocument {
  return { value, errors: [], lineOf: () => null };
}
