/**
 * What an expression names, read from its syntax tree: root variables, `root.field` accesses and
 * called functions. Used for the checks that need a better message than a type error
 * ("secrets may appear only in task input", "no task named 'biuld'").
 */
import { parse } from '@marcbachmann/cel-js';

export interface ExpressionReferences {
  variables: string[];
  fields: Array<{ variable: string; field: string }>;
  functions: string[];
}

interface Node {
  op: string;
  args: unknown;
}

const isNode = (value: unknown): value is Node =>
  !!value && typeof value === 'object' && 'op' in value && 'args' in value;

/** undefined when the source does not parse (the compile step reports that). */
export function expressionReferences(source: string): ExpressionReferences | undefined {
  let root: unknown;
  try {
    root = parse(source).ast;
  } catch {
    return undefined;
  }
  const variables = new Set<string>();
  const fields = new Map<string, { variable: string; field: string }>();
  const functions = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isNode(value)) return;
    const args = value.args as unknown[];
    if (value.op === 'id') variables.add(String(value.args));
    if (value.op === 'call') functions.add(String(args[0]));
    if ((value.op === '.' || value.op === '.?') && isNode(args[0]) && args[0].op === 'id') {
      const access = { variable: String(args[0].args), field: String(args[1]) };
      fields.set(`${access.variable}.${access.field}`, access);
    }
    if ((value.op === '[]' || value.op === '[?]') && isNode(args[0]) && args[0].op === 'id') {
      const index = args[1];
      if (isNode(index) && index.op === 'value' && typeof index.args === 'string') {
        const access = { variable: String(args[0].args), field: index.args };
        fields.set(`${access.variable}.${access.field}`, access);
      }
    }
    if (Array.isArray(value.args)) visit(value.args);
    else if (isNode(value.args)) visit(value.args);
  };
  visit(root);
  return { variables: [...variables], fields: [...fields.values()], functions: [...functions] };
}
