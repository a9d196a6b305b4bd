export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_CONFLICT_RETRY: RetryPolicy = { retries: 10, baseDelayMs: 1, maxDelayMs: 50 };

/**
 * Exponential backoff with full jitter: contending writers spread out instead of colliding
 * again in lock-step.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export const sleep = (ms: number) =>
  ms <= 0 ? new Promise<void>((resolve) => setImmediate(resolve)) : new Promise<void>((r) => setTimeout(r, ms));
