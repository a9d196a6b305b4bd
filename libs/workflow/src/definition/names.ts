/**
 * Name checks that need the definition: `tasks.<name>` must be a task, `vars.<name>` declared or
 * published, `parameters.<name>` an input; plus clear messages for names used in the wrong place.
 */
import { expressionReferences, helperNames } from '../expressions';
import { ITEM_FUNCTIONS, OUTCOME_FUNCTIONS, PLACE_LABEL, SYSTEM_FIELDS, placeFunctions, placeVariables, type Place } from './scopes';

export interface KnownNames {
  tasks: Set<string>;
  vars: Set<string>;
  parameters: Set<string>;
}

/** The first problem with the names in `source`, or undefined. */
export function checkNames(source: string, place: Place, withItems: boolean, known: KnownNames): string | undefined {
  const refs = expressionReferences(source);
  if (!refs) return undefined;
  const variables = placeVariables(place);
  for (const name of refs.variables) {
    if (name === 'secrets' && !variables.includes('secrets')) return 'secrets may appear only in task input';
    const everywhere = ['parameters', 'vars', 'tasks', 'system', 'secrets'];
    if (everywhere.includes(name) && !variables.includes(name)) {
      return `"${name}" is not available in ${PLACE_LABEL[place]} (available: ${variables.join(', ')})`;
    }
  }
  const functions = placeFunctions(place, withItems);
  for (const name of refs.functions) {
    if (OUTCOME_FUNCTIONS.includes(name) && !functions.includes(name)) {
      return `${name}() is available only in next (when/publish) and retry.when, not in ${PLACE_LABEL[place]}`;
    }
    if (ITEM_FUNCTIONS.includes(name) && !functions.includes(name)) {
      return `${name}() is available only in the input and retry.when of a task with "with: {items}"`;
    }
    if (!helperNames.includes(name) && !functions.includes(name) && !BUILTIN_FUNCTIONS.has(name)) {
      return `unknown function ${name}()`;
    }
  }
  for (const { variable, field } of refs.fields) {
    if (variable === 'tasks' && !known.tasks.has(field)) return `no task named "${field}"`;
    if (variable === 'vars' && !known.vars.has(field)) {
      return `no variable "${field}" (declare it in vars or publish it from a transition)`;
    }
    if (variable === 'parameters' && !known.parameters.has(field)) return `no parameter "${field}" in input`;
    if (variable === 'system' && !SYSTEM_FIELDS.includes(field)) {
      return `no system field "${field}" (available: ${SYSTEM_FIELDS.join(', ')})`;
    }
  }
  return undefined;
}

/** CEL's own global functions and macros (cel-js type-checks their arguments). */
const BUILTIN_FUNCTIONS = new Set([
  'has', 'size', 'int', 'uint', 'double', 'string', 'bytes', 'bool', 'dyn', 'type', 'timestamp',
  'duration', 'matches', 'cel.bind',
]);
