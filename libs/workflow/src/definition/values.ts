/**
 * A value of the definition whose strings may hold `{{ }}`: compiled once, rendered per use.
 * A string that is exactly one `{{ }}` yields the typed value; text around expressions yields a
 * string. Expressions that read secrets are not rendered: they stay as a marker that the
 * dispatcher resolves (secrets are never stored in events).
 */
import { expressionReferences, parseTemplate, toText, type CompiledExpression } from '../expressions';
import { SECRET_KEY, type SecretMarker } from '../secrets/marker';
import { checkNames, type KnownNames } from './names';
import { isPlainObject, type Problems } from './problems';
import { environmentFor, secretsEnvironment, type Place } from './scopes';
import type { PathSegment } from './yaml-source';

export interface CompiledPart {
  source: string;
  evaluate: CompiledExpression;
  /** Reads secrets: resolved at dispatch, never by the decider. */
  secret: boolean;
  /** The CEL type the checker inferred (`bool`, `list<dyn>`, `dyn`, ...). */
  type?: string;
}

export type CompiledValue =
  | { kind: 'literal'; value: unknown }
  | ({ kind: 'expression' } & CompiledPart)
  | { kind: 'interpolation'; parts: Array<string | CompiledPart> }
  | { kind: 'list'; items: CompiledValue[] }
  | { kind: 'map'; entries: Array<[string, CompiledValue]> };

export interface ValueCompiler {
  problems: Problems;
  known: KnownNames;
}

export function compileValue(
  compiler: ValueCompiler,
  raw: unknown,
  path: PathSegment[],
  place: Place,
  withItems = false,
): CompiledValue {
  if (typeof raw === 'string') return compileString(compiler, raw, path, place, withItems);
  if (Array.isArray(raw)) {
    const items = raw.map((item, i) => compileValue(compiler, item, [...path, i], place, withItems));
    return items.every((i) => i.kind === 'literal') ? { kind: 'literal', value: raw } : { kind: 'list', items };
  }
  if (isPlainObject(raw)) {
    const entries = Object.entries(raw).map(
      ([k, v]) => [k, compileValue(compiler, v, [...path, k], place, withItems)] as [string, CompiledValue],
    );
    return entries.every(([, v]) => v.kind === 'literal') ? { kind: 'literal', value: raw } : { kind: 'map', entries };
  }
  return { kind: 'literal', value: raw ?? null };
}

function compileString(
  compiler: ValueCompiler,
  text: string,
  path: PathSegment[],
  place: Place,
  withItems: boolean,
): CompiledValue {
  const template = parseTemplate(text);
  if (template.kind === 'literal') return template;
  if (template.kind === 'expression') {
    return { kind: 'expression', ...compilePart(compiler, template.source, path, place, withItems) };
  }
  const parts = template.parts.map((part) =>
    typeof part === 'string' ? part : compilePart(compiler, part.source, path, place, withItems),
  );
  return { kind: 'interpolation', parts };
}

const failing: CompiledExpression = () => {
  throw new Error('expression did not compile');
};

export function compilePart(
  compiler: ValueCompiler,
  source: string,
  path: PathSegment[],
  place: Place,
  withItems: boolean,
): CompiledPart {
  const report = (message: string) => {
    compiler.problems.error(path, `expression "{{ ${source} }}": ${message}`);
    return { source, evaluate: failing, secret: false };
  };
  const nameProblem = checkNames(source, place, withItems, compiler.known);
  if (nameProblem) return report(nameProblem);
  const compiled = environmentFor(place, withItems).compile(source);
  if (!compiled.ok) return report(compiled.message);
  const secret = place === 'input' && !!expressionReferences(source)?.variables.includes('secrets');
  if (secret) {
    const alone = secretsEnvironment.compile(source);
    if (!alone.ok) return report('an expression that reads secrets may read nothing else (it is resolved at dispatch)');
    return { source, evaluate: alone.evaluate, secret, type: alone.type };
  }
  return { source, evaluate: compiled.evaluate, secret, type: compiled.type };
}

/** A rendering failure, named by the path of the value and the expression. */
export class RenderError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super(`"{{ ${source} }}": ${reason}`);
  }
}

export function render(value: CompiledValue, context: Record<string, unknown>): unknown {
  switch (value.kind) {
    case 'literal':
      return value.value;
    case 'expression':
      return value.secret ? secretMarker({ expression: value.source }) : run(value, context);
    case 'interpolation': {
      if (value.parts.some((p) => typeof p !== 'string' && p.secret)) {
        const template = value.parts.map((p) =>
          typeof p === 'string' ? p : p.secret ? { expression: p.source } : text(run(p, context)),
        );
        return secretMarker({ template });
      }
      return value.parts.map((p) => (typeof p === 'string' ? p : text(run(p, context)))).join('');
    }
    case 'list':
      return value.items.map((item) => render(item, context));
    case 'map':
      return Object.fromEntries(value.entries.map(([k, v]) => [k, render(v, context)]));
  }
}

function run(part: CompiledPart, context: Record<string, unknown>): unknown {
  try {
    return part.evaluate(context);
  } catch (error) {
    throw new RenderError(part.source, error instanceof Error ? error.message.split('\n')[0] : String(error));
  }
}

const text = toText;

function secretMarker(spec: SecretMarker[typeof SECRET_KEY]): SecretMarker {
  return { [SECRET_KEY]: spec };
}

/** The source of a value as written (for labels and messages). */
export function valueSource(value: CompiledValue): string {
  if (value.kind === 'expression') return `{{ ${value.source} }}`;
  if (value.kind === 'literal') return typeof value.value === 'string' ? value.value : JSON.stringify(value.value);
  if (value.kind === 'interpolation') return value.parts.map((p) => (typeof p === 'string' ? p : `{{ ${p.source} }}`)).join('');
  return JSON.stringify(value);
}
