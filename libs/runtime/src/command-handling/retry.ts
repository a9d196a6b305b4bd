export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

// Generous on purpose: once delays spread contenders over ~100 ms, an append (~1 ms) rarely collides.
export const DEFAULT_CONFLICT_RETRY: RetryPolicy = { retries: 30, baseDelayMs: 2, maxDelayMs: 200 };

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
