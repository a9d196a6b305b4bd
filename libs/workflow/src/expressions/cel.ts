/**
 * CEL through @marcbachmann/cel-js (chosen over @bufbuild/cel by measurement: see README).
 * One place builds environments, compiles (parse + type-check against declared names) and turns
 * CEL values back into JSON-friendly JavaScript values.
 */
import { Environment } from '@marcbachmann/cel-js';

export type CelVariableType = 'map' | 'list' | 'string' | 'int' | 'double' | 'bool' | 'dyn';

export interface CelFunctionDeclaration {
  /** cel-js signature, e.g. 'succeeded(): bool' or 'default(dyn, dyn): dyn'. */
  signature: string;
  handler: (...args: any[]) => unknown;
}

export interface ExpressionEnvironmentSpec {
  variables: Record<string, CelVariableType>;
  functions?: CelFunctionDeclaration[];
}

export type CompiledExpression = (context: Record<string, unknown>) => unknown;

export type CompileResult =
  | { ok: true; source: string; evaluate: CompiledExpression }
  | { ok: false; source: string; message: string };

export class ExpressionEnvironment {
  private readonly env: Environment;

  constructor(spec: ExpressionEnvironmentSpec) {
    const env = new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false });
    for (const [name, type] of Object.entries(spec.variables)) env.registerVariable(name, type);
    for (const fn of spec.functions ?? []) env.registerFunction(fn.signature, fn.handler);
    this.env = env;
  }

  /** Parses and type-checks; an unknown variable or function is a compile error, not a run-time one. */
  compile(source: string): CompileResult {
    try {
      const checked = this.env.check(source);
      if (!checked.valid) return { ok: false, source, message: describeError(checked.error) };
      const parsed = this.env.parse(source);
      return { ok: true, source, evaluate: (context) => fromCel(parsed(context)) };
    } catch (error) {
      return { ok: false, source, message: describeError(error) };
    }
  }
}

function describeError(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    return String((error as { message: unknown }).message).split('\n')[0];
  }
  return String(error);
}

/** CEL ints arrive as bigint and maps may arrive as Map: give callers plain JSON values. */
export function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCel(v)]));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v)]));
  }
  return value;
}
