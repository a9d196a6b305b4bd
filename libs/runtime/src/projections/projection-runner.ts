/**
 * Runs one projection: takes its lease, follows the log from the active generation's checkpoint in
 * batches (each batch's writes and checkpoint committed together), reports lag and status, stops on
 * the first apply error and shows it, and runs rebuilds (see rebuild.ts).
 */
import { performance } from 'node:perf_hooks';
import type { EventStore, RecordedEvent } from '@trellis/eventstore';
import { GenerationConflictError, type ReadStore } from '@trellis/readstore';
import { ProjectionApplier, type AppliedBatch } from './applier';
import { ProjectionApplyError } from './errors';
import { EventFeed } from './event-feed';
import { InProcessLease, type LeaseGrant, type ProjectionLease } from './lease';
import type { Projection } from './projection';
import { Rebuild } from './rebuild';
import { projectionVersion, versionCollection, VERSION_ID } from './version';
import { errorInfo, progressAt, type ProjectionChange, type ProjectionErrorInfo, type ProjectionStatus, type RebuildProgress, type RunnerState } from './status';

export interface ProjectionRunnerOptions {
  /** Events per batch while following the log (default 500). */
  batchSize?: number;
  /**
   * The least time between the starts of two batches while following the log (default 0). Under
   * load, events arriving meanwhile join the next batch: one read-model transaction for many
   * commands instead of one each, for at most this much more lag. When idle, a batch starts as
   * soon as an event arrives.
   */
  applyIntervalMs?: number;
  /**
   * Events per batch while rebuilding (default 500). Larger batches commit less often but keep
   * more of the log and its documents alive at once, which the garbage collector then copies and
   * promotes: at 2,000 the rebuilds of the shipped projections ran 10-25% slower.
   */
  rebuildBatchSize?: number;
  lease?: ProjectionLease;
  /** How often a standby node asks for the lease again (default 5 s). */
  standbyRetryMs?: number;
  /** Default: the read store's switchPropagationMs, at least 2 s (queries in flight finish first). */
  dropDelayMs?: number;
  /** After every committed batch while following the log; `change()` computes what it changed. */
  onChange?(change: () => ProjectionChange): void;
  onRebuildProgress?(projection: string, progress: RebuildProgress): void;
  /** At start, when the active generation was written by another version and a rebuild begins. */
  onOutdated?(projection: string, version: number): void;
  onError?(projection: string, error: unknown): void;
}

export interface StartRebuildOptions {
  /** Drop a rebuild that was canceled or interrupted instead of resuming it. */
  fresh?: boolean;
}

const STORE_RETRIES = 3;

export class ProjectionRunner {
  private state: RunnerState = 'stopped';
  private generation = 1;
  private checkpoint = 0;
  private error: ProjectionErrorInfo | null = null;
  private live?: { feed: EventFeed; done: Promise<void> };
  private grant?: LeaseGrant;
  private standbyTimer?: NodeJS.Timeout;
  private rebuildRun?: Rebuild;
  private lastRebuild: RebuildProgress | null = null;
  private readonly applier: ProjectionApplier;
  private readonly lease: ProjectionLease;

  constructor(
    private readonly store: EventStore,
    private readonly readStore: ReadStore,
    readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.applier = new ProjectionApplier(readStore, projection);
    this.lease = options.lease ?? new InProcessLease();
  }

  get name(): string {
    return this.projection.name;
  }

  async start(): Promise<void> {
    if (this.state !== 'stopped' && this.state !== 'standby') return;
    const grant = await this.lease.acquire(this.name);
    if (!grant) {
      this.state = 'standby';
      this.standbyTimer ??= setInterval(() => void this.start().catch((e) => this.options.onError?.(this.name, e)), this.options.standbyRetryMs ?? 5000);
      this.standbyTimer.unref();
      return;
    }
    clearInterval(this.standbyTimer);
    this.standbyTimer = undefined;
    this.grant = grant;
    void grant.lost.then(() => this.stop());
    await this.noteInterruptedRebuild();
    await this.dropRetired();
    const info = await this.readStore.generations(this.name);
    const outdated = await this.writtenByAnotherVersion(info.active, info.checkpoints[info.active] ?? 0);
    if (outdated) this.applier.leaveVersion(info.active);
    await this.startLive();
    if (outdated) {
      // A rebuild left by the older version is dropped rather than resumed.
      const building = info.building;
      const fresh = building !== null && (await this.writtenByAnotherVersion(building, info.checkpoints[building] ?? 0));
      this.options.onOutdated?.(this.name, projectionVersion(this.projection));
      await this.rebuild({ fresh });
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.standbyTimer);
    this.standbyTimer = undefined;
    await this.rebuildRun?.cancel();
    await this.pauseLive();
    if (this.state !== 'failed') this.state = 'stopped';
    const grant = this.grant;
    this.grant = undefined;
    await grant?.release();
  }

  async status(): Promise<ProjectionStatus> {
    const head = await this.store.headPosition();
    let { generation, checkpoint } = this;
    if (!this.grant) {
      // Another node (or nobody) runs it: what the store says is all there is to show.
      const info = await this.readStore.generations(this.name);
      generation = info.active;
      checkpoint = info.checkpoints[info.active] ?? 0;
    }
    return {
      name: this.name,
      status: this.state,
      generation,
      checkpoint,
      head,
      lag: Math.max(0, head - checkpoint),
      error: this.error,
      rebuild: this.rebuildRun ? progressAt(this.rebuildRun.current, head) : this.lastRebuild,
    };
  }

  /** Starts (or resumes) a rebuild in the background and answers with its first progress. */
  async rebuild(options: StartRebuildOptions = {}): Promise<RebuildProgress> {
    if (this.rebuildRun) return this.rebuildRun.current;
    if (!this.grant) throw new GenerationConflictError(this.name, `not running on this node (${this.state})`);
    const info = await this.readStore.generations(this.name);
    let generation = info.building;
    if (generation !== null && options.fresh) {
      await this.readStore.dropGeneration(this.name, generation);
      generation = null;
    }
    generation ??= await this.readStore.createGeneration(this.name);
    const from = await this.readStore.getCheckpoint(this.name, { generation });
    const run = new Rebuild(this.store, this.readStore, this.rebuildHost(), generation, from, {
      batchSize: this.options.rebuildBatchSize ?? 500,
      dropDelayMs: this.options.dropDelayMs ?? Math.max(this.readStore.switchPropagationMs, 2000),
    });
    this.rebuildRun = run;
    void run.finished.then((progress) => {
      this.lastRebuild = progress;
      if (this.rebuildRun === run) this.rebuildRun = undefined;
      if (progress.status === 'failed') this.options.onError?.(this.name, new Error(progress.error?.message));
    });
    return progressAt(run.current, await this.store.headPosition());
  }

  /** Resolves when the running rebuild ends (at once with the last one's outcome when none runs). */
  async rebuildFinished(): Promise<RebuildProgress | null> {
    return this.rebuildRun ? this.rebuildRun.finished : this.lastRebuild;
  }

  /** Stops a running rebuild, keeping what it built for a resume. */
  async cancelRebuild(): Promise<RebuildProgress | null> {
    return this.rebuildRun ? this.rebuildRun.cancel() : this.lastRebuild;
  }

  /** Cancels a rebuild and drops the generation it was filling. */
  async discardRebuild(): Promise<void> {
    await this.cancelRebuild();
    const info = await this.readStore.generations(this.name);
    if (info.building !== null) await this.readStore.dropGeneration(this.name, info.building);
    this.lastRebuild = null;
  }

  private async startLive(): Promise<void> {
    if (this.live) return;
    const info = await this.readStore.generations(this.name);
    this.generation = info.active;
    this.checkpoint = info.checkpoints[info.active] ?? 0;
    this.error = null;
    this.state = 'running';
    const generation = this.generation;
    const feed = new EventFeed(this.store, { after: this.checkpoint, pageSize: this.options.batchSize ?? 500 });
    const done = this.follow(feed, generation).catch((error: unknown) => {
      this.state = 'failed';
      this.error = errorInfo(error);
      this.options.onError?.(this.name, error);
      void feed.stop();
    });
    this.live = { feed, done };
  }

  private async follow(feed: EventFeed, generation: number): Promise<void> {
    const interval = this.options.applyIntervalMs ?? 0;
    let lastStart = -Infinity;
    for (;;) {
      if (interval > 0) {
        await feed.ready();
        const wait = lastStart + interval - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        lastStart = performance.now();
      }
      const events = await feed.take(this.options.batchSize ?? 500);
      if (events.length === 0) return;
      const batch = await this.applyBatch(events, generation);
      this.checkpoint = batch.position;
      this.options.onChange?.(() => ({ projection: this.name, generation, position: batch.position, changes: batch.changes() }));
    }
  }

  private async pauseLive(): Promise<void> {
    const live = this.live;
    if (!live) return;
    this.live = undefined;
    await live.feed.stop();
    await live.done;
  }

  /** Retries what the store fails on (busy, briefly down); a projection's own error is final. */
  private async applyBatch(events: readonly RecordedEvent[], generation: number, through?: number): Promise<AppliedBatch> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.applier.apply(events, generation, through);
      } catch (error) {
        const final = error instanceof ProjectionApplyError || error instanceof GenerationConflictError || attempt >= STORE_RETRIES;
        if (final) throw error;
        this.options.onError?.(this.name, error);
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }

  private rebuildHost() {
    return {
      name: this.name,
      eventTypes: this.projection.eventTypes,
      applyBatch: (events: readonly RecordedEvent[], generation: number, through: number) => this.applyBatch(events, generation, through),
      pauseLive: () => this.pauseLive(),
      resumeLive: () => this.startLive(),
      report: (progress: RebuildProgress) => this.options.onRebuildProgress?.(this.name, progress),
    };
  }

  /** A generation left building by a process that stopped mid-rebuild: shown, resumed on request. */
  private async noteInterruptedRebuild(): Promise<void> {
    const info = await this.readStore.generations(this.name);
    if (info.building === null || this.lastRebuild) return;
    const position = info.checkpoints[info.building] ?? 0;
    const head = await this.store.headPosition();
    this.lastRebuild = {
      status: 'interrupted',
      generation: info.building,
      startedAt: null,
      finishedAt: null,
      from: 0,
      position,
      head,
      done: position,
      total: head,
      eventsPerSecond: 0,
      etaSeconds: null,
      error: null,
    };
  }

  /**
   * Whether a generation holds documents written by another version of the projection. A
   * generation with no version record was written before versions were recorded: version 1.
   */
  private async writtenByAnotherVersion(generation: number, checkpoint: number): Promise<boolean> {
    if (checkpoint === 0) return false;
    const record = await this.readStore.get(versionCollection(this.projection), VERSION_ID, { generation });
    return (record?.version ?? 1) !== projectionVersion(this.projection);
  }

  private async dropRetired(): Promise<void> {
    const info = await this.readStore.generations(this.name);
    for (const generation of info.retired) await this.readStore.dropGeneration(this.name, generation);
  }
}
