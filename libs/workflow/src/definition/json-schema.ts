/**
 * JSON Schema through ajv: parameter schemas (checked at registration, applied at start) and
 * inquiry answer schemas (checked when the answer arrives).
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// Defaults are filled in only for parameters (an object schema whose properties hold them); a
// standalone schema with a root `default` is fine to check but strict ajv would refuse to apply it.
const filling = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true });
const checking = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(filling);
addFormats(checking);

// ajv caches by schema object identity; inquiry schemas arrive as new objects on every answer.
const compiled = new Map<string, ValidateFunction>();
const MAX_CACHED = 1_000;

export type SchemaCompileResult = { ok: true; validate: ValidateFunction } | { ok: false; message: string };

export function compileSchema(schema: unknown, options: { fillDefaults?: boolean } = {}): SchemaCompileResult {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
    return { ok: false, message: 'a schema must be a map' };
  }
  const cacheKey = `${options.fillDefaults ? 'fill' : 'check'}:${JSON.stringify(schema)}`;
  const cached = compiled.get(cacheKey);
  if (cached) return { ok: true, validate: cached };
  try {
    const validate = (options.fillDefaults ? filling : checking).compile(structuredClone(schema));
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(cacheKey, validate);
    return { ok: true, validate };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

export interface SchemaViolation {
  path: string;
  message: string;
}

/** Validates (and, for parameters, fills defaults into) `value`; returns the violations. */
export function schemaViolations(validate: ValidateFunction, value: unknown): SchemaViolation[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => {
    const missing = error.keyword === 'required' ? `/${String(error.params.missingProperty)}` : '';
    const extra = error.keyword === 'additionalProperties' ? `/${String(error.params.additionalProperty)}` : '';
    return { path: `${error.instancePath}${missing}${extra}` || '/', message: error.message ?? 'is invalid' };
  });
}
