/**
 * Entity `fields` and state `data` are written as a map of properties in a JSON Schema subset,
 * with `required: true` on the property itself (LIFECYCLES.md, the example). They are translated
 * to real JSON Schema and compiled once, at registration, by ajv; unknown properties are
 * rejected, because "impossible states unrepresentable" includes misspelt ones.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Path, ProblemList } from './problems';

export interface Violation {
  /** Dotted path inside the validated object, e.g. `pr_url` or `address.city`. */
  path: string;
  message: string;
}

export interface CompiledSchema {
  /** The real JSON Schema, for clients (OpenAPI, forms) and for reading. */
  jsonSchema: Record<string, unknown>;
  properties: string[];
  required: string[];
  validate(value: unknown): Violation[];
}

/** The subset we accept; anything else is probably a typo, and ajv's strict mode would agree. */
const KEYWORDS = new Set([
  'type', 'format', 'enum', 'const', 'description', 'title', 'required',
  'minLength', 'maxLength', 'pattern',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'items', 'minItems', 'maxItems', 'uniqueItems',
  'properties', 'additionalProperties',
]);

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** `properties` is the map under `fields:` or a state's `data:`; undefined/null means "none". */
export function compilePropertiesSchema(
  properties: unknown,
  path: Path,
  problems: ProblemList,
): CompiledSchema | undefined {
  const before = problems.items.length;
  const jsonSchema = translateObject(properties ?? {}, path, problems);
  if (problems.items.length > before || !jsonSchema) return undefined;
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(jsonSchema);
  } catch (error) {
    reportAjvError(jsonSchema, path, problems, error);
    return undefined;
  }
  return {
    jsonSchema,
    properties: Object.keys(jsonSchema.properties as object),
    required: jsonSchema.required as string[],
    validate: (value) => (validate(value) ? [] : (validate.errors ?? []).map(toViolation)),
  };
}

/** ajv names the schema, not the line: retry property by property to point at the culprit. */
function reportAjvError(jsonSchema: Record<string, unknown>, path: Path, problems: ProblemList, error: unknown): void {
  let placed = false;
  for (const [name, property] of Object.entries(jsonSchema.properties as Record<string, object>)) {
    try {
      ajv.compile(property);
    } catch (propertyError) {
      problems.error([...path, name], `bad schema: ${(propertyError as Error).message}`);
      placed = true;
    }
  }
  if (!placed) problems.error(path, `bad schema: ${(error as Error).message}`);
}

const TYPES = ['string', 'integer', 'number', 'boolean', 'object', 'array', 'null'];

function translateObject(properties: unknown, path: Path, problems: ProblemList): Record<string, unknown> | undefined {
  if (!isRecord(properties)) {
    problems.error(path, 'expected a map of property name to schema');
    return undefined;
  }
  const translated: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [name, schema] of Object.entries(properties)) {
    const property = translateProperty(schema, [...path, name], problems);
    if (!property) continue;
    if (property.required) required.push(name);
    translated[name] = property.schema;
  }
  return { type: 'object', properties: translated, required, additionalProperties: false };
}

function translateProperty(
  schema: unknown,
  path: Path,
  problems: ProblemList,
): { schema: Record<string, unknown>; required: boolean } | undefined {
  if (!isRecord(schema)) {
    problems.error(path, 'expected a schema, e.g. {type: string}');
    return undefined;
  }
  const out: Record<string, unknown> = {};
  let required = false;
  for (const [keyword, value] of Object.entries(schema)) {
    if (!KEYWORDS.has(keyword)) {
      problems.error([...path, keyword], `unknown schema keyword '${keyword}'`);
      continue;
    }
    if (keyword === 'type' && !(Array.isArray(value) ? value : [value]).every((t) => TYPES.includes(t as string))) {
      problems.error([...path, keyword], `'type' is one of ${TYPES.join(', ')}`);
    } else if (keyword === 'required') {
      // On a property, `required` is the shorthand flag; inside `properties` handling it is lifted.
      if (typeof value !== 'boolean') problems.error([...path, keyword], "'required' on a property is true or false");
      else required = value;
    } else if (keyword === 'properties') {
      const nested = translateObject(value, [...path, keyword], problems);
      if (nested) Object.assign(out, { properties: nested.properties, required: nested.required });
      if (!('additionalProperties' in schema)) out.additionalProperties = false;
    } else if (keyword === 'items') {
      const items = translateProperty(value, [...path, keyword], problems);
      if (items) out.items = items.schema;
    } else out[keyword] = value;
  }
  if (!('type' in schema) && !('enum' in schema) && !('const' in schema)) {
    problems.error(path, "a property needs a 'type' (or 'enum'/'const')");
  }
  return { schema: out, required };
}

function toViolation(error: ErrorObject): Violation {
  const at = error.instancePath.split('/').filter(Boolean).join('.');
  const join = (name: string) => (at ? `${at}.${name}` : name);
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    return { path: join(missing), message: `'${missing}' is required` };
  }
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    return { path: join(extra), message: `unknown property '${extra}'` };
  }
  return { path: at, message: error.message ?? 'is invalid' };
}
