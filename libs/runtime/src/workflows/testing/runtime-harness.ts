/** A workflow runtime on a fresh SQLite store in a temp directory, for runtime-level tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@trellis/eventstore';
import { CommandPipeline } from '../../command-handling';
import type { CheckpointStore } from '../../subscriptions';
import { TERMINAL_STATUSES } from '../executions/execution-index';
import { WorkflowRuntime, type WorkflowRuntimeOptions } from '../workflow-runtime';

export class MemoryCheckpoints implements CheckpointStore {
  readonly positions = new Map<string, number>();
  async load(name: string): Promise<number> {
    return this.positions.get(name) ?? 0;
  }
  async save(name: string, position: number): Promise<void> {
    this.positions.set(name, position);
  }
}

export interface RuntimeHarness {
  dir: string;
  store: SqliteEventStore;
  pipeline: CommandPipeline;
  runtime: WorkflowRuntime;
  /** Resolves with the execution's status once it is one of `statuses` (default: any terminal one). */
  until(executionId: string, statuses?: readonly string[], timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

export type HarnessOptions = Partial<Omit<WorkflowRuntimeOptions, 'store' | 'pipeline'>> & { dir?: string; start?: boolean };

export async function startRuntime(options: HarnessOptions = {}): Promise<RuntimeHarness> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'trellis-runtime-'));
  const store = SqliteEventStore.open({ file: join(dir, 'events.db') });
  const pipeline = new CommandPipeline(store);
  const runtime = new WorkflowRuntime({ store, pipeline, ...options });
  if (options.start ?? true) await runtime.start();
  const until = (executionId: string, statuses: readonly string[] = TERMINAL_STATUSES, timeoutMs = 10_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const status = runtime.index.get(executionId)?.status;
        if (status && statuses.includes(status)) {
          clearInterval(timer);
          clearTimeout(deadline);
          resolve(status);
        }
      };
      // Tests only: a short check interval keeps the helper independent of the runtime's internals.
      const timer = setInterval(check, 5);
      const deadline = setTimeout(() => {
        clearInterval(timer);
        reject(new Error(`execution ${executionId} is ${runtime.index.get(executionId)?.status ?? 'unknown'}, not ${statuses.join('|')}, after ${timeoutMs} ms`));
      }, timeoutMs);
      check();
    });
  return {
    dir,
    store,
    pipeline,
    runtime,
    until,
    close: async () => {
      await runtime.stop();
      await store.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
