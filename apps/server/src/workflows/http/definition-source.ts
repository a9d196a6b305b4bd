/**
 * A definition arrives as YAML text or as a parsed JSON document. JSON is stored pretty-printed:
 * JSON is YAML, so it compiles as is, and the lines of any problem point into readable text.
 */
import { DomainError } from '@trellis/domain';

export function definitionSource(body: unknown, what: string): string {
  if (typeof body === 'string') return body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) return `${JSON.stringify(body, null, 2)}\n`;
  throw new DomainError('validation_failed', `a ${what} definition is a YAML or JSON document (a map)`, {
    violations: [{ path: 'body', message: 'must be a YAML or JSON map' }],
  });
}
