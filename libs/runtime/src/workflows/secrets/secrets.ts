/**
 * Secrets (WORKFLOWS.md, Expressions): `secrets.<name>` come from configuration and are resolved
 * only when a task is dispatched — into the input an in-process action runs with, or the input a
 * worker claims. Whatever comes back (results, errors) is masked before it is recorded, so a
 * secret an action echoes never reaches an event, a log line or an API answer.
 */
import { hasSecrets, resolveSecrets } from '@trellis/workflow';

export const MASK = '***';
const ENV_PREFIX = 'TRELLIS_SECRET_';

/** `TRELLIS_SECRET_GITHUB_TOKEN=x` → `{github_token: 'x'}`. */
export function secretsFromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith(ENV_PREFIX) && key.length > ENV_PREFIX.length && value !== undefined) {
      secrets[key.slice(ENV_PREFIX.length).toLowerCase()] = value;
    }
  }
  return secrets;
}

export class Secrets {
  private readonly values: string[];

  constructor(private readonly secrets: Readonly<Record<string, string>> = {}) {
    // Longest first, so a secret that contains another is masked whole.
    this.values = Object.values(secrets)
      .filter((v) => v.length >= 4)
      .sort((a, b) => b.length - a.length);
  }

  /** The input with every secret marker replaced by its value: for dispatch only. */
  resolve(input: unknown): unknown {
    return hasSecrets(input) ? resolveSecrets(input, this.secrets) : input;
  }

  /** A copy of `value` in which no secret value appears. */
  mask<T>(value: T): T {
    if (this.values.length === 0) return value;
    return maskValue(value, this.values) as T;
  }
}

function maskValue(value: unknown, secrets: string[]): unknown {
  if (typeof value === 'string') return secrets.reduce((text, secret) => (text.includes(secret) ? text.split(secret).join(MASK) : text), value);
  if (Array.isArray(value)) return value.map((v) => maskValue(v, secrets));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [maskValue(k, secrets) as string, maskValue(v, secrets)]));
  }
  return value;
}
