/** The scenario's scripted results handed out per task, one per attempt, as the simulator does. */
import { parseScripted } from '@trellis/workflow';

type ScriptedStep = ReturnType<typeof parseScripted>;

export class ScriptedResults {
  private readonly used = new Map<string, number>();
  private readonly results: Record<string, unknown[]>;

  constructor(results: Record<string, unknown[]> = {}) {
    this.results = structuredClone(results);
  }

  next(task: string): ScriptedStep | undefined {
    const entries = this.results[task];
    const index = this.used.get(task) ?? 0;
    if (!entries || index >= entries.length) return undefined;
    this.used.set(task, index + 1);
    return parseScripted(entries[index]);
  }

  extend(results: Record<string, unknown[]>): void {
    for (const [task, entries] of Object.entries(results)) this.results[task] = [...(this.results[task] ?? []), ...entries];
  }
}
