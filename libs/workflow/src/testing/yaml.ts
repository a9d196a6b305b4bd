/** A template tag for YAML in tests: drops the first newline and the common indentation, so line numbers read naturally. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ''), '').replace(/^\n/, '');
  const indents = text.split('\n').filter((l) => l.trim()).map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const common = Math.min(...indents);
  return text.split('\n').map((l) => l.slice(common)).join('\n');
}
