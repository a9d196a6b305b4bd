/**
 * Which names an expression may use depends on where it is written (WORKFLOWS.md, Expressions).
 * Each place has one environment; environments hold no workflow-specific names (those are checked
 * against the definition by `checkNames`), so they are built once per process.
 */
import { ExpressionEnvironment, helperFunctions, type CelFunctionDeclaration } from '../expressions';

export type Place = 'vars' | 'search' | 'output' | 'input' | 'items' | 'transition' | 'retry';

/** Keys of the evaluation context that no expression can name; contextual functions read them. */
export const OUTCOME_KEY = '__outcome';
export const ITEM_KEY = '__item';

export interface Outcome {
  status: 'succeeded' | 'failed';
  result?: unknown;
  error?: { code?: string; message?: string } | null;
}

type Scope = Record<string, any>;
const outcome = (ctx: Scope): Scope => ctx[OUTCOME_KEY] ?? {};

const outcomeFunctions: CelFunctionDeclaration[] = [
  { signature: 'succeeded(): bool', contextual: true, handler: (ctx: Scope) => outcome(ctx).status === 'succeeded' },
  { signature: 'failed(): bool', contextual: true, handler: (ctx: Scope) => outcome(ctx).status === 'failed' },
  { signature: 'completed(): bool', contextual: true, handler: () => true },
  {
    signature: 'timedout(): bool',
    contextual: true,
    handler: (ctx: Scope) => outcome(ctx).status === 'failed' && outcome(ctx).error?.code === 'timeout',
  },
  { signature: 'result(): dyn', contextual: true, handler: (ctx: Scope) => outcome(ctx).result ?? null },
  { signature: 'error(): dyn', contextual: true, handler: (ctx: Scope) => outcome(ctx).error ?? null },
];

const itemFunctions: CelFunctionDeclaration[] = [
  { signature: 'item(): dyn', contextual: true, handler: (ctx: Scope) => ctx[ITEM_KEY]?.value ?? null },
  { signature: 'index(): int', contextual: true, handler: (ctx: Scope) => ctx[ITEM_KEY]?.index ?? 0 },
];

export const OUTCOME_FUNCTIONS = ['succeeded', 'failed', 'completed', 'timedout', 'result', 'error'];
export const ITEM_FUNCTIONS = ['item', 'index'];
export const SYSTEM_FIELDS = ['execution_id', 'workflow', 'version', 'actor', 'started_at'];

const PLACE_VARIABLES: Record<Place, string[]> = {
  vars: ['parameters', 'system'],
  search: ['parameters', 'vars'],
  output: ['parameters', 'vars', 'tasks', 'system'],
  input: ['parameters', 'vars', 'tasks', 'system', 'secrets'],
  items: ['parameters', 'vars', 'tasks', 'system'],
  transition: ['parameters', 'vars', 'tasks', 'system'],
  retry: ['parameters', 'vars', 'tasks', 'system'],
};

export const PLACE_LABEL: Record<Place, string> = {
  vars: 'vars',
  search: 'search',
  output: 'output',
  input: 'task input',
  items: 'with.items',
  transition: 'next (when/publish)',
  retry: 'retry.when',
};

export function placeVariables(place: Place): string[] {
  return PLACE_VARIABLES[place];
}

export function placeFunctions(place: Place, withItems: boolean): string[] {
  const names: string[] = [];
  if (place === 'transition' || place === 'retry') names.push(...OUTCOME_FUNCTIONS);
  if (withItems && (place === 'input' || place === 'retry')) names.push(...ITEM_FUNCTIONS);
  return names;
}

const environments = new Map<string, ExpressionEnvironment>();

export function environmentFor(place: Place, withItems = false): ExpressionEnvironment {
  const cacheKey = `${place}:${withItems}`;
  let env = environments.get(cacheKey);
  if (!env) {
    const contextual = placeFunctions(place, withItems);
    env = new ExpressionEnvironment({
      variables: Object.fromEntries(PLACE_VARIABLES[place].map((name) => [name, 'map' as const])),
      functions: [
        ...helperFunctions,
        ...[...outcomeFunctions, ...itemFunctions].filter((fn) => contextual.includes(fn.signature.split('(')[0])),
      ],
    });
    environments.set(cacheKey, env);
  }
  return env;
}

/** Secrets are resolved at dispatch, when nothing but the secrets themselves is at hand. */
export const secretsEnvironment = new ExpressionEnvironment({
  variables: { secrets: 'map' },
  functions: helperFunctions,
});
