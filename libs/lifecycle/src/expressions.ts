/**
 * Guards and hook inputs are CEL (LIFECYCLES.md, Semantics), through the same expression
 * environment as workflows. Beyond type-checking, a guard or template that reads a member the
 * entity or the command can never have (`entity.pointz`) is rejected at registration: it would
 * otherwise be silently false forever.
 */
import { ExpressionEnvironment, expressionReferences, helperFunctions, type CompileResult } from '@trellis/workflow/expressions';

/** What `entity` holds besides the fields (an issue's sprint, a sprint's scope: see libs/domain). */
export const ENTITY_PROPERTIES = ['id', 'state', 'data', 'projectId', 'scope', 'sprint'] as const;
export const COMMAND_PROPERTIES = ['transition', 'reason', 'data', 'actor'] as const;

const guardEnvironment = new ExpressionEnvironment({
  variables: { entity: 'map', command: 'map', approvals: 'list' },
  functions: helperFunctions,
});

const templateEnvironment = new ExpressionEnvironment({
  variables: { entity: 'map' },
  functions: helperFunctions,
});

export type CheckedExpression =
  | { ok: true; evaluate: (context: Record<string, unknown>) => unknown; variables: string[] }
  | { ok: false; message: string };

export function compileGuardExpression(source: string, fields: readonly string[]): CheckedExpression {
  const compiled = guardEnvironment.compile(source);
  if (compiled.ok && compiled.type !== 'bool' && compiled.type !== 'dyn') {
    return { ok: false, message: `a guard must be a bool expression, this one is ${compiled.type}` };
  }
  return check(compiled, fields);
}

export function compileTemplateExpression(source: string, fields: readonly string[]): CheckedExpression {
  return check(templateEnvironment.compile(source), fields);
}

function check(compiled: CompileResult, fields: readonly string[]): CheckedExpression {
  if (!compiled.ok) return { ok: false, message: `expression does not compile: ${compiled.message}` };
  const references = expressionReferences(compiled.source);
  const known: Record<string, readonly string[]> = {
    entity: [...ENTITY_PROPERTIES, ...fields],
    command: COMMAND_PROPERTIES,
  };
  for (const { variable, field } of references?.fields ?? []) {
    if (known[variable] && !known[variable].includes(field)) {
      const hint = variable === 'entity' ? `fields: ${fields.join(', ') || 'none'}` : known[variable].join(', ');
      return { ok: false, message: `${variable}.${field} does not exist (${hint})` };
    }
  }
  return { ok: true, evaluate: compiled.evaluate, variables: references?.variables ?? [] };
}
