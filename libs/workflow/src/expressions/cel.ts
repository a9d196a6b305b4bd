/**
 * CEL through @marcbachmann/cel-js (chosen over @bufbuild/cel by measurement: see README).
 * One place builds environments, compiles (parse + type-check against declared names) and turns
 * CEL values back into JSON-friendly JavaScript values.
 */
import { Environment } from '@marcbachmann/cel-js';
import { fromCel, toCel } from './values';

export { fromCel, toCel, toText } from './values';

export type CelVariableType = 'map' | 'list' | 'string' | 'int' | 'double' | 'bool' | 'dyn';

export interface CelFunctionDeclaration {
  /** cel-js signature, e.g. 'succeeded(): bool' or 'default(dyn, dyn): dyn'. */
  signature: string;
  handler: (...args: any[]) => unknown;
  /**
   * cel-js hands function handlers only their arguments, and a zero-argument function cannot be a
   * macro; a contextual handler receives the (CEL-converted) evaluation context first, so
   * `result()` can read what the caller put under a key that no expression can name.
   */
  contextual?: boolean;
}

export interface ExpressionEnvironmentSpec {
  variables: Record<string, CelVariableType>;
  functions?: CelFunctionDeclaration[];
}

export type CompiledExpression = (context: Record<string, unknown>) => unknown;

export type CompileResult =
  | { ok: true; source: string; evaluate: CompiledExpression; type: string }
  | { ok: false; source: string; message: string };

export class ExpressionEnvironment {
  private readonly env: Environment;
  /** The context of the evaluation in progress, for contextual functions (evaluation is synchronous). */
  private scope: Record<string, unknown> = {};

  constructor(spec: ExpressionEnvironmentSpec) {
    const env = new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false });
    for (const [name, type] of Object.entries(spec.variables)) env.registerVariable(name, type);
    for (const fn of spec.functions ?? []) {
      const handler = fn.contextual ? (...args: unknown[]) => toCel(fn.handler(this.scope, ...args)) : fn.handler;
      env.registerFunction(fn.signature, handler);
    }
    this.env = env;
  }

  /** Parses and type-checks; an unknown variable or function is a compile error, not a run-time one. */
  compile(source: string): CompileResult {
    try {
      const checked = this.env.check(source);
      if (!checked.valid) return { ok: false, source, message: describeError(checked.error) };
      const parsed = this.env.parse(source);
      const evaluate: CompiledExpression = (context) => {
        const outer = this.scope;
        const celContext = toCel(context) as Record<string, unknown>;
        this.scope = celContext;
        try {
          return fromCel(parsed(celContext));
        } finally {
          this.scope = outer;
        }
      };
      return { ok: true, source, evaluate, type: String(checked.type ?? 'dyn') };
    } catch (error) {
      return { ok: false, source, message: describeError(error) };
    }
  }
}

/** The first line of a cel-js error (the rest is a source excerpt with a caret). */
export function describeError(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    return String((error as { message: unknown }).message).split('\n')[0];
  }
  return String(error);
}
