/**
 * Secrets (WORKFLOWS.md, Expressions): `secrets.<name>` may appear only in task input and is
 * resolved when the task is dispatched. The decider renders everything else and leaves this marker
 * where a secret goes; the marker holds the expression, never the value.
 */
import { secretsEnvironment } from '../definition/scopes';
import { toText as text } from '../expressions';

export const SECRET_KEY = '$secret';

export type SecretMarker = {
  [SECRET_KEY]: { expression: string } | { template: Array<string | { expression: string }> };
};

export function isSecretMarker(value: unknown): value is SecretMarker {
  return !!value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && SECRET_KEY in value;
}

/** Whether a rendered input still holds secrets to resolve. */
export function hasSecrets(value: unknown): boolean {
  if (isSecretMarker(value)) return true;
  if (Array.isArray(value)) return value.some(hasSecrets);
  if (value && typeof value === 'object') return Object.values(value).some(hasSecrets);
  return false;
}

/** For the dispatcher: the input with every marker replaced by the secret's value. */
export function resolveSecrets(value: unknown, secrets: Record<string, unknown>): unknown {
  if (isSecretMarker(value)) {
    const spec = value[SECRET_KEY];
    if ('expression' in spec) return evaluateSecret(spec.expression, secrets);
    return spec.template.map((p) => (typeof p === 'string' ? p : text(evaluateSecret(p.expression, secrets)))).join('');
  }
  if (Array.isArray(value)) return value.map((v) => resolveSecrets(v, secrets));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveSecrets(v, secrets)]));
  }
  return value;
}

function evaluateSecret(expression: string, secrets: Record<string, unknown>): unknown {
  const compiled = secretsEnvironment.compile(expression);
  if (!compiled.ok) throw new Error(`secret expression "{{ ${expression} }}": ${compiled.message}`);
  return compiled.evaluate({ secrets });
}
