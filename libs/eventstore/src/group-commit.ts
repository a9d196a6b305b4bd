/**
 * The bookkeeping of group commit, shared by the adapters that commit several appends in one
 * transaction (sqlite, postgres): each append keeps its own outcome, and none is acknowledged
 * before the transaction that carries it is durable.
 */
import type { AppendResult } from './event-store';

export interface GroupCommitStats {
  /** Transactions committed. */
  commits: number;
  /** Appends settled by those commits (successful, duplicate or rejected). */
  appends: number;
  /** Events written. */
  events: number;
  /** The most appends one commit carried. */
  largestGroup: number;
}

export interface PendingAppend<Request> {
  request: Request;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

export function emptyStats(): GroupCommitStats {
  return { commits: 0, appends: 0, events: 0, largestGroup: 0 };
}

/**
 * Call once the group's transaction has committed: counts it into `stats`, reports the last
 * position it wrote (0 if none) to `committed` — before any append is acknowledged, so a caller
 * that reads after its acknowledgement finds the head moved — then settles every append.
 */
export function settleGroup<Request>(
  group: readonly PendingAppend<Request>[],
  outcomes: readonly AppendOutcome[],
  stats: GroupCommitStats,
  committed: (lastPosition: number) => void,
): void {
  let lastPosition = 0;
  for (const outcome of outcomes) {
    if (!outcome.ok || outcome.result.duplicate) continue;
    const { events } = outcome.result;
    stats.events += events.length;
    if (events.length > 0) lastPosition = Math.max(lastPosition, events[events.length - 1].position);
  }
  stats.commits += 1;
  stats.appends += group.length;
  stats.largestGroup = Math.max(stats.largestGroup, group.length);
  committed(lastPosition);
  group.forEach((item, index) => {
    const outcome = outcomes[index];
    if (outcome.ok) item.resolve(outcome.result);
    else item.reject(outcome.error);
  });
}
