/**
 * The built-in actions that need nothing from the outside world (WORKFLOWS.md, Built-in actions).
 * The simulator runs them for real; the runtime's in-process worker may use them too. sleep and
 * inquiry are waits inside the execution (timers, answers), not actions to run.
 */
import type { TaskError } from './events';

export type ActionOutcome = { result: unknown } | { error: TaskError };

export const PURE_BUILTINS = ['core.noop', 'core.echo', 'core.fail'];

export function runPureBuiltin(action: string, input: unknown): ActionOutcome | undefined {
  switch (action) {
    case 'core.noop':
      return { result: null };
    case 'core.echo':
      return { result: input ?? null };
    case 'core.fail': {
      const message = (input as { message?: unknown } | null)?.message;
      return { error: { code: 'failed', message: typeof message === 'string' ? message : 'core.fail' } };
    }
    default:
      return undefined;
  }
}
