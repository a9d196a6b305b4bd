/**
 * YAML in, plain data out, with a way back from any path to its line. The parsed value is what
 * the compiler reads; the syntax tree is kept only to point problems at lines.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Path } from './problems';

export interface ParsedSource {
  value: unknown;
  locate(path: Path): number;
  /** YAML syntax errors and duplicate keys, already placed. */
  problems: Array<{ path: Path; line: number; message: string }>;
}

export function parseSource(text: string): ParsedSource {
  const lineCounter = new LineCounter();
  // Duplicate keys are reported by us, with the path and the name, instead of as a parse error.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 0 : lineCounter.linePos(offset).line);
  const problems: ParsedSource['problems'] = doc.errors.map((error) => ({
    path: [],
    line: error.linePos?.[0]?.line ?? lineOf(error.pos?.[0]),
    message: `YAML: ${error.message.split('\n')[0]}`,
  }));

  const locate = (path: Path): number => {
    let node: unknown = doc.contents;
    let line = lineOf((doc.contents as Node | null)?.range?.[0]);
    for (const segment of path) {
      if (isMap(node)) {
        const pair = [...node.items].reverse().find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        line = lineOf((pair.key as Node).range?.[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
        node = node.items[segment];
        line = lineOf((node as Node).range?.[0]) || line;
      } else break;
    }
    return line;
  };

  // A file that does not parse has no value to check; duplicates still leave one (the last wins).
  const value = problems.length === 0 ? doc.toJS() : undefined;
  if (problems.length === 0) findDuplicateKeys(doc.contents, [], problems, lineOf);
  return { value, locate, problems };
}

function findDuplicateKeys(
  node: unknown,
  path: Path,
  problems: ParsedSource['problems'],
  lineOf: (offset: number | undefined) => number,
): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (seen.has(key)) {
        problems.push({
          path: [...path, key],
          line: lineOf((pair.key as Node).range?.[0]),
          message: `duplicate name '${key}'${path.length ? ` in ${String(path[path.length - 1])}` : ''}`,
        });
      }
      seen.add(key);
      findDuplicateKeys(pair.value, [...path, key], problems, lineOf);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => findDuplicateKeys(item, [...path, index], problems, lineOf));
  }
}
