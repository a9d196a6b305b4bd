/** What GET /admin/projections and `trellis projections` show about a projection. */
import type { ChangedDocument } from './batch-context';
import type { FailedEvent } from './errors';

export interface ProjectionErrorInfo {
  message: string;
  /** The event the projection failed on (absent when the store, not the projection, failed). */
  event: FailedEvent | null;
  at: string;
}

export type RunnerState =
  /** Not started yet, or stopped. */
  | 'stopped'
  /** Applying events (lag tells whether it is catching up or following live). */
  | 'running'
  /** Another node holds the projection's lease. */
  | 'standby'
  /** Stopped on an error, shown in `error`; a rebuild or a restart starts it again. */
  | 'failed';

export type RebuildState = 'running' | 'switching' | 'canceled' | 'interrupted' | 'failed' | 'done';

export interface RebuildProgress {
  status: RebuildState;
  /** The generation being filled (the active one once done). */
  generation: number;
  startedAt: string | null;
  finishedAt: string | null;
  /** Position the run started from (0, or the checkpoint of a resumed rebuild). */
  from: number;
  /** Position applied up to. */
  position: number;
  head: number;
  /** Events replayed by this run and events it has to replay in all (grows with live appends). */
  done: number;
  total: number;
  eventsPerSecond: number;
  etaSeconds: number | null;
  error: ProjectionErrorInfo | null;
}

export interface ProjectionStatus {
  name: string;
  status: RunnerState;
  /** The generation reads go to. */
  generation: number;
  checkpoint: number;
  head: number;
  /** Events behind the head of the log. */
  lag: number;
  error: ProjectionErrorInfo | null;
  rebuild: RebuildProgress | null;
}

/** The documents one committed batch changed: what GraphQL subscriptions are fed from. */
export interface ProjectionChange {
  projection: string;
  generation: number;
  position: number;
  changes: ChangedDocument[];
}

export function errorInfo(error: unknown): ProjectionErrorInfo {
  const event = (error as { event?: FailedEvent }).event ?? null;
  return { message: error instanceof Error ? error.message : String(error), event, at: new Date().toISOString() };
}

/** The progress figures (done, total, rate, ETA) recomputed for `head` at `now`. */
export function progressAt(progress: RebuildProgress, head: number, now = Date.now()): RebuildProgress {
  const next = { ...progress, head: Math.max(progress.head, head) };
  const started = next.startedAt ? Date.parse(next.startedAt) : now;
  const seconds = ((next.finishedAt ? Date.parse(next.finishedAt) : now) - started) / 1000;
  next.done = next.position - next.from;
  next.total = Math.max(next.head, next.position) - next.from;
  next.eventsPerSecond = seconds > 0 ? Math.round(next.done / seconds) : 0;
  const left = next.total - next.done;
  next.etaSeconds = left === 0 ? 0 : next.eventsPerSecond > 0 ? Math.ceil(left / next.eventsPerSecond) : null;
  return next;
}
