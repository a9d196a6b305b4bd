/**
 * `input`: a JSON Schema per parameter name, plus `required` and `default`; together they make
 * the object schema that `parameters` are checked against (and defaulted from) at start.
 */
import { compileSchema, schemaViolations } from './json-schema';
import { isPlainObject, type Problems } from './problems';
import type { ParameterValidation } from './types';

export interface CompiledInput {
  names: Set<string>;
  schema: Record<string, unknown>;
  validateParameters(parameters: unknown): ParameterValidation;
}

export function compileInput(problems: Problems, raw: unknown): CompiledInput {
  const properties: Record<string, unknown> = {};
  const names = new Set<string>();
  const required: string[] = [];
  if (raw !== undefined && raw !== null && !isPlainObject(raw)) {
    problems.error(['input'], 'input must be a map from parameter name to JSON Schema');
  }
  for (const [name, declared] of Object.entries(isPlainObject(raw) ? raw : {})) {
    const path = ['input', name];
    if (!isPlainObject(declared)) {
      names.add(name);
      problems.error(path, `parameter "${name}" must be a JSON Schema map, e.g. {type: string}`);
      continue;
    }
    names.add(name);
    const { required: isRequired, ...schema } = declared;
    if (isRequired !== undefined && typeof isRequired !== 'boolean') {
      problems.error([...path, 'required'], 'required must be true or false');
    }
    if (isRequired === true) required.push(name);
    const compiled = compileSchema(schema);
    if (!compiled.ok) {
      problems.error(path, `bad schema for parameter "${name}": ${compiled.message}`);
      continue;
    }
    if ('default' in schema) {
      const violations = schemaViolations(compiled.validate, structuredClone(schema.default));
      if (violations.length) {
        problems.error([...path, 'default'], `default does not match the schema: ${violations[0].message}`);
      }
    }
    properties[name] = schema;
  }
  const schema = { type: 'object', properties, required, additionalProperties: false };
  return {
    names,
    schema,
    validateParameters(parameters) {
      const value = structuredClone(parameters ?? {}) as Record<string, unknown>;
      const compiled = compileSchema(schema, { fillDefaults: true });
      if (!compiled.ok) return { ok: false, value, errors: [{ path: '/', message: compiled.message }] };
      const errors = schemaViolations(compiled.validate, value);
      return { ok: errors.length === 0, value, errors };
    },
  };
}
