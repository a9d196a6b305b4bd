/**
 * Scripted results (WORKFLOWS.md, Simulation): `results: {task: [result | {error}]}`, consumed
 * one per attempt. `{result, after: "5m"}` / `{error, after}` also say how long the attempt takes
 * in simulated time (to exercise timeouts); an object whose keys are only `result`/`after` is that
 * wrapper, so a result that is itself `{result: x}` must be wrapped once more.
 */
import { parseDuration } from '../definition';
import { normalizeTaskError, type ActionOutcome } from '../execution';

export interface ScriptedStep {
  outcome: ActionOutcome;
  afterMs: number;
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

export function parseScripted(entry: unknown): ScriptedStep {
  if (isMap(entry)) {
    const keys = Object.keys(entry);
    const afterMs = parseDuration(entry.after) ?? 0;
    if ('error' in entry && keys.every((k) => k === 'error' || k === 'after')) {
      return { outcome: { error: normalizeTaskError(entry.error) }, afterMs };
    }
    if ('result' in entry && keys.every((k) => k === 'result' || k === 'after')) {
      return { outcome: { result: entry.result ?? null }, afterMs };
    }
  }
  return { outcome: { result: entry ?? null }, afterMs: 0 };
}

/** Hands out each task's scripted entries in order. */
export class Script {
  private readonly used = new Map<string, number>();

  constructor(private readonly results: Record<string, unknown[]> = {}) {}

  next(task: string): ScriptedStep | undefined {
    const entries = this.results[task];
    const index = this.used.get(task) ?? 0;
    if (!entries || index >= entries.length) return undefined;
    this.used.set(task, index + 1);
    return parseScripted(entries[index]);
  }

  /** For a retried execution: more results for the attempts still to come. */
  extend(results: Record<string, unknown[]>): void {
    for (const [task, entries] of Object.entries(results)) {
      this.results[task] = [...(this.results[task] ?? []), ...entries];
    }
  }
}
