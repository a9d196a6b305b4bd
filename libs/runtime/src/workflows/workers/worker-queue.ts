/**
 * External workers (API.md, Workers): runs of actions the runtime does not run itself wait here
 * until a worker claims them. A claim starts the attempt (StartTaskRun with its fencing token)
 * and leases it to the worker; heartbeats extend the lease; a lease that lapses fails the attempt
 * with `lease_expired`, after which the task's retry policy applies. A claim with nothing to take
 * waits (long-poll) until a run for one of its actions is offered — no polling loop.
 *
 * What is offered is derived from the execution's state after every decision (sync), so the
 * queue is rebuilt at startup by driving every running execution once.
 */
import { DomainError } from '@trellis/domain';
import { findRun, type RunToDispatch } from '@trellis/workflow';
import type { ExecutionEngine } from '../engine/execution-engine';
import type { Secrets } from '../secrets/secrets';
import { DueQueue } from '../scheduling/due-queue';
import { LongPoll } from './long-poll';

export interface ClaimRequest {
  worker: string;
  actions: string[];
  max?: number;
  leaseMs?: number;
  waitMs?: number;
  /** Who claims (the token's actor), recorded on the commands. */
  actor: string;
  /** Aborted when the caller went away: nothing more is claimed for it. */
  signal?: AbortSignal;
}

export interface ClaimedRun {
  runId: string;
  executionId: string;
  workflow: string;
  task: string;
  action: string;
  item?: number;
  attempt: number;
  fencingToken: number;
  idempotencyKey: string;
  input: unknown;
  leaseMs: number;
  leaseExpiresAt: string;
  timeoutMs?: number;
}

/** A run an external worker already holds (found running at startup, or just claimed). */
export interface HeldRun {
  runId: string;
  attempt: number;
  heartbeatMs?: number;
}

interface Offer {
  executionId: string;
  workflow: string;
  run: RunToDispatch;
  seq: number;
}

interface Lease {
  executionId: string;
  runId: string;
  attempt: number;
  worker: string;
  leaseMs: number;
}

export interface WorkerQueueOptions {
  defaultLeaseMs?: number;
  maxWaitMs?: number;
  maxClaim?: number;
}

export class WorkerQueue {
  private readonly offers = new Map<string, Map<string, Offer>>();
  private readonly offeredBy = new Map<string, Map<string, Offer>>();
  private readonly leases: DueQueue<Lease>;
  private readonly leasedBy = new Map<string, Set<string>>();
  private readonly waiting = new LongPoll();
  private readonly defaultLeaseMs: number;
  private readonly maxWaitMs: number;
  private readonly maxClaim: number;
  private seq = 0;
  private stopped = false;

  constructor(
    private readonly engine: ExecutionEngine,
    private readonly secrets: Secrets,
    private readonly onError: (error: unknown, what: string) => void = () => undefined,
    options: WorkerQueueOptions = {},
  ) {
    this.defaultLeaseMs = options.defaultLeaseMs ?? 30_000;
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.maxClaim = options.maxClaim ?? 100;
    this.leases = new DueQueue((_runId, lease) => this.lapse(lease));
  }

  /** Makes this execution's offers exactly `toOffer`, and gives runs workers hold a lease if they have none. */
  sync(executionId: string, workflow: string, toOffer: readonly RunToDispatch[], held: readonly HeldRun[]): void {
    const offered = this.offeredBy.get(executionId);
    const wanted = new Map(toOffer.map((run) => [run.runId, run]));
    if (offered) {
      for (const [runId, offer] of offered) {
        if (wanted.get(runId)?.attempt !== offer.run.attempt) this.withdraw(offer);
      }
    }
    for (const run of toOffer) {
      if (this.offeredBy.get(executionId)?.get(run.runId)?.run.attempt === run.attempt) continue;
      this.offer({ executionId, workflow, run, seq: this.seq++ });
    }
    const leased = this.leasedBy.get(executionId);
    const heldIds = new Set(held.map((h) => h.runId));
    if (leased) for (const runId of leased) if (!heldIds.has(runId)) this.release(executionId, runId);
    for (const run of held) {
      const lease = this.leases.get(run.runId)?.value;
      if (lease?.attempt === run.attempt) continue;
      // Held by a worker this process did not lease it to (before a restart): it gets one lease to report or heartbeat in.
      const leaseMs = run.heartbeatMs ?? this.defaultLeaseMs;
      this.lease({ executionId, runId: run.runId, attempt: run.attempt, worker: 'unknown', leaseMs });
    }
  }

  async claim(request: ClaimRequest): Promise<ClaimedRun[]> {
    const max = Math.min(Math.max(1, request.max ?? 1), this.maxClaim);
    const deadline = Date.now() + Math.min(Math.max(0, request.waitMs ?? 0), this.maxWaitMs);
    const actions = new Set(request.actions);
    for (;;) {
      if (request.signal?.aborted || this.stopped) return [];
      const claimed: ClaimedRun[] = [];
      for (const offer of this.take(actions, max)) {
        const run = await this.start(offer, request);
        if (run) claimed.push(run);
      }
      if (claimed.length > 0 || Date.now() >= deadline) return claimed;
      await this.waiting.wait(actions, deadline - Date.now(), request.signal);
    }
  }

  async heartbeat(runId: string, fencingToken: number): Promise<{ runId: string; leaseExpiresAt: string }> {
    const lease = this.leases.get(runId)?.value;
    if (!lease || lease.attempt !== fencingToken) throw await this.notHeld(runId, fencingToken);
    const dueAt = Date.now() + lease.leaseMs;
    this.leases.set(runId, dueAt, lease);
    return { runId, leaseExpiresAt: new Date(dueAt).toISOString() };
  }

  async complete(runId: string, fencingToken: number, result: unknown, actor: string): Promise<{ runId: string; attempt: number; status: string }> {
    return this.report(runId, fencingToken, actor, { type: 'CompleteTaskRun', runId, fencingToken, result: this.secrets.mask(result ?? null) });
  }

  async fail(runId: string, fencingToken: number, error: unknown, actor: string): Promise<{ runId: string; attempt: number; status: string }> {
    return this.report(runId, fencingToken, actor, { type: 'FailTaskRun', runId, fencingToken, error: this.secrets.mask(error ?? 'failed') });
  }

  /** The execution a run belongs to (run ids start with the execution id, which may itself hold dots). */
  executionOf(runId: string): string | undefined {
    const held = this.leases.get(runId)?.value.executionId;
    if (held) return held;
    for (let i = runId.indexOf('.'); i > 0; i = runId.indexOf('.', i + 1)) {
      const candidate = runId.slice(0, i);
      if (this.engine.index.get(candidate)) return candidate;
    }
    return undefined;
  }

  stats(): { offered: number; leased: number; waiting: number } {
    let offered = 0;
    for (const byRun of this.offers.values()) offered += byRun.size;
    return { offered, leased: this.leases.size, waiting: this.waiting.size };
  }

  stop(): void {
    this.stopped = true;
    this.leases.stop();
    this.waiting.releaseAll();
  }

  private offer(offer: Offer): void {
    const { action, runId } = offer.run;
    let byRun = this.offers.get(action);
    if (!byRun) this.offers.set(action, (byRun = new Map()));
    byRun.set(runId, offer);
    let mine = this.offeredBy.get(offer.executionId);
    if (!mine) this.offeredBy.set(offer.executionId, (mine = new Map()));
    mine.set(runId, offer);
    this.waiting.wake(action);
  }

  private withdraw(offer: Offer): void {
    const { action, runId } = offer.run;
    const byRun = this.offers.get(action);
    if (byRun?.get(runId) === offer) byRun.delete(runId);
    if (byRun?.size === 0) this.offers.delete(action);
    const mine = this.offeredBy.get(offer.executionId);
    if (mine?.get(runId) === offer) mine.delete(runId);
    if (mine?.size === 0) this.offeredBy.delete(offer.executionId);
  }

  /** Oldest offers first; taken offers leave the queue at once, so two claims never get the same run. */
  private take(actions: Set<string>, max: number): Offer[] {
    const taken: Offer[] = [];
    for (const action of actions) {
      const byRun = this.offers.get(action);
      if (!byRun) continue;
      for (const offer of byRun.values()) {
        if (taken.length >= max) break;
        taken.push(offer);
      }
    }
    const picked = taken.sort((a, b) => a.seq - b.seq).slice(0, max);
    picked.forEach((offer) => this.withdraw(offer));
    return picked;
  }

  private async start(offer: Offer, request: ClaimRequest): Promise<ClaimedRun | undefined> {
    const { executionId, run } = offer;
    try {
      const outcome = await this.engine.send(
        executionId,
        { type: 'StartTaskRun', runId: run.runId, fencingToken: run.fencingToken, worker: request.worker },
        { actor: request.actor },
      );
      if (!outcome.events.some((e) => e.type === 'TaskRunStarted')) return undefined;
    } catch (error) {
      // Paused, canceled or already started since it was offered: not this worker's run.
      if (!(error instanceof DomainError)) this.onError(error, `claim of ${run.runId}`);
      return undefined;
    }
    const leaseMs = Math.min(request.leaseMs ?? this.defaultLeaseMs, run.heartbeatMs ?? Number.POSITIVE_INFINITY);
    const dueAt = this.lease({ executionId, runId: run.runId, attempt: run.attempt, worker: request.worker, leaseMs });
    return {
      runId: run.runId,
      executionId,
      workflow: offer.workflow,
      task: run.task,
      action: run.action,
      ...(run.item === undefined ? {} : { item: run.item }),
      attempt: run.attempt,
      fencingToken: run.fencingToken,
      idempotencyKey: run.idempotencyKey,
      input: this.secrets.resolve(run.input),
      leaseMs,
      leaseExpiresAt: new Date(dueAt).toISOString(),
      ...(run.timeoutMs ? { timeoutMs: run.timeoutMs } : {}),
    };
  }

  private lease(lease: Lease): number {
    const dueAt = Date.now() + lease.leaseMs;
    this.leases.set(lease.runId, dueAt, lease);
    let mine = this.leasedBy.get(lease.executionId);
    if (!mine) this.leasedBy.set(lease.executionId, (mine = new Set()));
    mine.add(lease.runId);
    return dueAt;
  }

  private release(executionId: string, runId: string): void {
    this.leases.delete(runId);
    const mine = this.leasedBy.get(executionId);
    mine?.delete(runId);
    if (mine?.size === 0) this.leasedBy.delete(executionId);
  }

  private lapse(lease: Lease): void {
    this.leasedBy.get(lease.executionId)?.delete(lease.runId);
    const error = { code: 'lease_expired', message: `worker ${lease.worker} held task run ${lease.runId} (attempt ${lease.attempt}) without a heartbeat for ${lease.leaseMs} ms` };
    this.engine
      .send(lease.executionId, { type: 'FailTaskRun', runId: lease.runId, fencingToken: lease.attempt, error })
      .catch((e) => {
        if (!(e instanceof DomainError)) this.onError(e, `lease expiry of ${lease.runId}`);
      });
  }

  private async report(
    runId: string,
    fencingToken: number,
    actor: string,
    command: { type: 'CompleteTaskRun' | 'FailTaskRun'; runId: string; fencingToken: number; result?: unknown; error?: unknown },
  ): Promise<{ runId: string; attempt: number; status: string }> {
    const executionId = this.executionOf(runId);
    if (!executionId) throw new DomainError('not_found', `no task run ${runId}`, { runId });
    const outcome = await this.engine.send(executionId, command as never, { actor });
    const lease = this.leases.get(runId)?.value;
    if (lease?.attempt === fencingToken) this.release(executionId, runId);
    const run = findRun(outcome.state, runId)?.run;
    const retrying = !!run && (run.attempt > fencingToken || run.status === 'waiting' || run.status === 'scheduled');
    const status = retrying ? 'retrying' : (run?.status ?? 'unknown');
    return { runId, attempt: fencingToken, status };
  }

  /** Why a heartbeat is refused: the attempt is stale (409) or there is no such run (404). */
  private async notHeld(runId: string, fencingToken: number): Promise<DomainError> {
    const executionId = this.executionOf(runId);
    if (!executionId) return new DomainError('not_found', `no task run ${runId}`, { runId });
    const { state } = await this.engine.load(executionId);
    const run = findRun(state, runId)?.run;
    if (!run) return new DomainError('not_found', `no task run ${runId}`, { runId });
    return new DomainError('version_conflict', `stale fencing token ${fencingToken} for task run ${runId}: the current attempt is ${run.attempt} (${run.status})`, {
      reason: 'stale_fencing_token',
      runId,
      expected: run.attempt,
      actual: fencingToken,
    });
  }
}
