/**
 * The string/list helpers every workflow expression may call (WORKFLOWS.md, Expressions).
 * `default` is a macro rather than a function: `parameters.missing` raises "no such key" before
 * any function could see it, and a fallback for a missing key is what `default` is for.
 */
import type { CelFunctionDeclaration } from './cel';
import { fromCel } from './values';

interface MacroNode {
  args: unknown[];
}
interface MacroRunner {
  run(node: unknown, ctx: unknown): unknown;
}
interface MacroChecker {
  check(node: unknown, ctx: unknown): unknown;
  getType(name: string): unknown;
}

const defaultMacro: CelFunctionDeclaration = {
  signature: 'default(ast, ast): dyn',
  handler: ({ args }: { args: unknown[] }) => ({
    args,
    typeCheck(checker: MacroChecker, macro: MacroNode, ctx: unknown) {
      checker.check(macro.args[0], ctx);
      checker.check(macro.args[1], ctx);
      return checker.getType('dyn');
    },
    evaluate(evaluator: MacroRunner, macro: MacroNode, ctx: unknown) {
      let value: unknown;
      try {
        value = evaluator.run(macro.args[0], ctx);
      } catch {
        value = undefined;
      }
      return value === undefined || value === null ? evaluator.run(macro.args[1], ctx) : value;
    },
  }),
};

export const helperFunctions: CelFunctionDeclaration[] = [
  { signature: 'upper(string): string', handler: (s: string) => s.toUpperCase() },
  { signature: 'lower(string): string', handler: (s: string) => s.toLowerCase() },
  { signature: 'trim(string): string', handler: (s: string) => s.trim() },
  { signature: 'join(list): string', handler: (l: unknown[]) => l.map(text).join('') },
  { signature: 'join(list, string): string', handler: (l: unknown[], sep: string) => l.map(text).join(sep) },
  { signature: 'json(dyn): string', handler: (v: unknown) => JSON.stringify(fromCel(v)) },
  defaultMacro,
];

export const helperNames = ['upper', 'lower', 'trim', 'join', 'json', 'default'];

function text(value: unknown): string {
  const plain = fromCel(value);
  return typeof plain === 'string' ? plain : JSON.stringify(plain);
}
