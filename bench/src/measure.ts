/** Timing helpers shared by the benchmark cases. */
import { performance } from 'node:perf_hooks';

export interface Throughput {
  operations: number;
  seconds: number;
  perSecond: number;
}

export interface Latency {
  p50: number;
  p99: number;
  max: number;
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)];
}

export function latencyOf(samplesMs: number[]): Latency {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted[sorted.length - 1] ?? 0) };
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function throughput(operations: number, startedAt: number): Throughput {
  const seconds = (performance.now() - startedAt) / 1000;
  return { operations, seconds: round(seconds, 3), perSecond: Math.round(operations / seconds) };
}

/**
 * Runs `total` operations with `concurrency` callers, each awaiting its own operation before
 * starting the next, and records every operation's latency.
 */
export async function runClosedLoop(
  total: number,
  concurrency: number,
  operation: (index: number) => Promise<unknown>,
  onProgress?: (done: number) => void,
): Promise<{ throughput: Throughput; latency: Latency }> {
  const samples: number[] = [];
  let next = 0;
  let done = 0;
  const startedAt = performance.now();
  const caller = async () => {
    while (next < total) {
      const index = next++;
      const t0 = performance.now();
      await operation(index);
      samples.push(performance.now() - t0);
      done++;
      if (onProgress && done % 100 === 0) onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  onProgress?.(done);
  return { throughput: throughput(total, startedAt), latency: latencyOf(samples) };
}

/** Concurrent clients of the warm-up that precedes each series of HTTP cases. */
export const WARM_UP_CLIENTS = 8;

/**
 * The warm-up of a freshly started server process, before its measured HTTP cases: V8 compiles
 * the request path while it runs (measured: a health check has p99 11 ms in a new process's first
 * 8,000 requests and 3.5 ms after). Reported as a case of its own, without a target, so the cold
 * figures stay visible.
 */
export function warmUpNotes(total: number): string {
  return `${total} requests at ${WARM_UP_CLIENTS} clients on the fresh server process before the measured cases (JIT warm-up); not a target`;
}
