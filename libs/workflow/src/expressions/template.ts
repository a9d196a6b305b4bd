/**
 * `{{ … }}` templates (WORKFLOWS.md, Expressions): a string that is exactly one `{{ … }}` yields the
 * expression's typed value; text around expressions yields a string; no `{{` at all is a literal.
 */
export type Template =
  | { kind: 'literal'; value: string }
  | { kind: 'expression'; source: string }
  | { kind: 'interpolation'; parts: Array<string | { source: string }> };

const EXPRESSION = /\{\{([\s\S]*?)\}\}/g;

export function parseTemplate(text: string): Template {
  const parts: Array<string | { source: string }> = [];
  let last = 0;
  for (const match of text.matchAll(EXPRESSION)) {
    const index = match.index ?? 0;
    if (index > last) parts.push(text.slice(last, index));
    parts.push({ source: match[1].trim() });
    last = index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  const expressions = parts.filter((p): p is { source: string } => typeof p !== 'string');
  if (expressions.length === 0) return { kind: 'literal', value: text };
  if (parts.length === 1) return { kind: 'expression', source: expressions[0].source };
  return { kind: 'interpolation', parts };
}

/** Every expression source inside a template string (for compile-time checks). */
export function templateSources(text: string): string[] {
  const template = parseTemplate(text);
  if (template.kind === 'literal') return [];
  if (template.kind === 'expression') return [template.source];
  return template.parts.flatMap((p) => (typeof p === 'string' ? [] : [p.source]));
}
