/**
 * What the runtime runs in-process (WORKFLOWS.md, Built-in actions): an action is a function of
 * its (secret-resolved) input; it answers the result or throws. A thrown ActionFailure carries the
 * code the run's error gets (`http_error`, `invalid_input`, ...); anything else is `error`.
 */
export interface ActionContext {
  executionId: string;
  runId: string;
  task: string;
  attempt: number;
  /** Stable across the attempts of a run: pass it on so a side effect happens once. */
  idempotencyKey: string;
  /** Aborted when the engine stops or the attempt no longer matters. */
  signal: AbortSignal;
}

export type InProcessAction = (input: unknown, context: ActionContext) => Promise<unknown>;

export class ActionFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ActionFailure';
  }
}

export const isMap = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

export function requireText(input: Record<string, unknown>, field: string, action: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') throw new ActionFailure('invalid_input', `${action} needs input.${field} (text)`);
  return value;
}
