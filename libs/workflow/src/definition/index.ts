export * from './types';
export * from './compile';
export { parseDuration, addDuration } from './duration';
export { render, RenderError, valueSource, type CompiledValue } from './values';
export { compileSchema, schemaViolations } from './json-schema';
export { OUTCOME_KEY, ITEM_KEY, type Outcome } from './scopes';
