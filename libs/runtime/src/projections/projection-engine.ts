/**
 * All projections of a process: starts and stops their runners, answers for them by name, and
 * fans out their changes and rebuild progress to listeners (GraphQL subscriptions, the CLI).
 */
import type { EventStore } from '@trellis/eventstore';
import type { ReadStore } from '@trellis/readstore';
import { DomainError } from '@trellis/domain';
import type { Projection } from './projection';
import { ProjectionRunner, type ProjectionRunnerOptions, type StartRebuildOptions } from './projection-runner';
import type { ProjectionChange, ProjectionStatus, RebuildProgress } from './status';

export type ProjectionEngineOptions = Omit<ProjectionRunnerOptions, 'onChange' | 'onRebuildProgress'>;

type Listener<T> = (value: T) => void;

export class ProjectionEngine {
  private readonly runners = new Map<string, ProjectionRunner>();
  private readonly changeListeners = new Set<Listener<ProjectionChange>>();
  private readonly progressListeners = new Set<Listener<{ projection: string; progress: RebuildProgress }>>();

  constructor(
    store: EventStore,
    readStore: ReadStore,
    projections: readonly Projection[],
    options: ProjectionEngineOptions = {},
  ) {
    for (const projection of projections) {
      if (this.runners.has(projection.name)) throw new Error(`projection ${projection.name} is registered twice`);
      this.runners.set(
        projection.name,
        new ProjectionRunner(store, readStore, projection, {
          ...options,
          onChange: (change) => {
            if (this.changeListeners.size === 0) return;
            const changed = change();
            if (changed.changes.length > 0) this.changeListeners.forEach((listener) => listener(changed));
          },
          onRebuildProgress: (name, progress) => this.progressListeners.forEach((listener) => listener({ projection: name, progress })),
        }),
      );
    }
  }

  get names(): string[] {
    return [...this.runners.keys()];
  }

  async start(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.start()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
  }

  runner(name: string): ProjectionRunner {
    const runner = this.runners.get(name);
    if (!runner) {
      throw new DomainError('not_found', `no projection ${JSON.stringify(name)}; projections are ${this.names.join(', ')}`, {
        projection: name,
        projections: this.names,
      });
    }
    return runner;
  }

  statuses(): Promise<ProjectionStatus[]> {
    return Promise.all([...this.runners.values()].map((runner) => runner.status()));
  }

  rebuild(name: string, options?: StartRebuildOptions): Promise<RebuildProgress> {
    return this.runner(name).rebuild(options);
  }

  /** Every committed batch's changes; returns the unsubscribe function. */
  onChange(listener: Listener<ProjectionChange>): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onRebuildProgress(listener: Listener<{ projection: string; progress: RebuildProgress }>): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** Resolves once every projection has applied the log up to `position` (default: the head now). */
  async settled(position?: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const statuses = await this.statuses();
      const failed = statuses.find((s) => s.status === 'failed');
      if (failed) throw new Error(failed.error?.message ?? `projection ${failed.name} failed`);
      if (statuses.every((s) => s.checkpoint >= (position ?? s.head))) return;
      if (Date.now() > deadline) throw new Error(`projections did not reach position ${position ?? 'head'} in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
