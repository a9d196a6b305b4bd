/**
 * Errors: rejected commands are DomainError values (mapped to HTTP once, by the server); an
 * execution that fails records an ExecutionError that names what went wrong and where.
 */
import { DomainError } from '@trellis/domain';
import type { ExecutionError, TaskError } from './events';
import type { ExecutionState } from './state';

/**
 * A completion or claim for an attempt that is no longer current (its lease lapsed and the run
 * was retried, or the run ended). Code `version_conflict` (409) until the shared ErrorCode list
 * has `stale_fencing_token`; `details.reason` carries that name meanwhile.
 */
export function staleFencingToken(runId: string, token: number, current: number, status: string): DomainError {
  return new DomainError(
    'version_conflict',
    `stale fencing token ${token} for task run ${runId}: the current attempt is ${current} (${status})`,
    { reason: 'stale_fencing_token', runId, expected: current, actual: token },
  );
}

export function invalidInState(state: ExecutionState, what: string, allowed: string[]): DomainError {
  return new DomainError('invalid_transition', `cannot ${what}: the execution is ${state.status}`, {
    state: state.status,
    allowed,
  });
}

export function expressionError(task: string | undefined, where: string, source: string, reason: string): ExecutionError {
  const owner = task ? `task "${task}", ${where}` : where;
  return {
    code: 'expression_error',
    message: `${owner}: expression "${source}" failed: ${reason}`,
    task,
    details: { where, expression: source, reason },
  };
}

/** Whatever a worker reports as an error becomes `{code, message}`. */
export function normalizeTaskError(raw: unknown): TaskError {
  if (typeof raw === 'string') return { code: 'error', message: raw };
  if (raw && typeof raw === 'object') {
    const { code, message, ...details } = raw as Record<string, unknown>;
    const error: TaskError = {
      code: typeof code === 'string' ? code : 'error',
      message: typeof message === 'string' ? message : JSON.stringify(raw),
    };
    return Object.keys(details).length ? { ...error, details } : error;
  }
  return { code: 'error', message: String(raw ?? 'failed') };
}
