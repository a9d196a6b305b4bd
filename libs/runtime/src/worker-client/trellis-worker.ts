import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
// The claim's answer, as the server's worker queue hands it out (one definition for both sides).
import type { ClaimedRun } from '../workflows/workers/worker-queue';

/**
 * A worker for custom actions, over the REST API (API.md, Workers): a custom action is a function.
 *
 *   const worker = new TrellisWorker({ url, token, name: 'ci-runner-1' });
 *   worker.register('ci.build', async (input, ctx) => build(input, ctx.idempotencyKey));
 *   await worker.start();   // claims with long-poll, heartbeats while a handler runs
 *   await worker.stop();    // stops claiming, lets running handlers finish and report
 *
 * It speaks HTTP with node:http and its own keep-alive agent rather than fetch: stopping destroys
 * the agent, so a long-poll in flight ends at once and no connection outlives the worker.
 *
 * Every report carries the attempt's fencing token; a 409 means the attempt was taken from this
 * worker (its lease lapsed and the run was retried), so the handler's signal is aborted and its
 * outcome is dropped.
 */

const REPORT_RETRIES = 20;

export interface WorkerContext {
  runId: string;
  executionId: string;
  workflow: string;
  task: string;
  action: string;
  item?: number;
  attempt: number;
  fencingToken: number;
  /** Stable across the attempts of a run: pass it to the side effect so it happens once. */
  idempotencyKey: string;
  /** Aborted when the lease is lost (the outcome would be refused): stop early. */
  signal: AbortSignal;
  /** Extends the lease now (heartbeats are also sent on their own while the handler runs). */
  heartbeat(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ActionHandler = (input: any, context: WorkerContext) => Promise<unknown>;

export interface TrellisWorkerOptions {
  /** The server, e.g. http://localhost:3000 (the /api/v1 prefix is added). */
  url: string;
  token: string;
  name: string;
  /** Runs handled at once (default 4). */
  concurrency?: number;
  leaseMs?: number;
  /** Long-poll wait per claim (default 20 s). */
  waitMs?: number;
  onError?(error: unknown, runId?: string): void;
}


export class WorkerApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WorkerApiError';
  }
}

/** Thrown by a handler to fail the attempt with a code of its own choosing. */
export class ActionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

export class TrellisWorker {
  private readonly handlers = new Map<string, ActionHandler>();
  private readonly base: string;
  private readonly active = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();
  private loop?: Promise<void>;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly request: typeof httpRequest;
  private freed?: () => void;

  constructor(private readonly options: TrellisWorkerOptions) {
    const url = options.url.replace(/\/+$/, '');
    this.base = url.endsWith('/api/v1') ? url : `${url}/api/v1`;
    const secure = this.base.startsWith('https:');
    this.agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.request = secure ? httpsRequest : httpRequest;
  }

  register(action: string, handler: ActionHandler): this {
    this.handlers.set(action, handler);
    return this;
  }

  /** Runs being handled now. */
  get running(): number {
    return this.active.size;
  }

  async start(): Promise<void> {
    if (this.handlers.size === 0) throw new Error('register at least one action before starting the worker');
    this.loop ??= this.claimLoop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await Promise.all(this.active.values());
    this.agent.destroy();
  }

  private get concurrency(): number {
    return this.options.concurrency ?? 4;
  }

  private async claimLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      const free = this.concurrency - this.active.size;
      if (free <= 0) {
        await new Promise<void>((resolve) => (this.freed = resolve));
        continue;
      }
      let runs: ClaimedRun[];
      try {
        runs = await this.call<ClaimedRun[]>('/worker/claim', {
          worker: this.options.name,
          actions: [...this.handlers.keys()],
          max: free,
          ...(this.options.leaseMs ? { leaseMs: this.options.leaseMs } : {}),
          waitMs: this.options.waitMs ?? 20_000,
        }, this.stopping.signal);
        failures = 0;
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        this.options.onError?.(error);
        // The server is away: back off rather than spin.
        await pause(Math.min(5000, 100 * 2 ** failures++), this.stopping.signal);
        continue;
      }
      for (const run of runs) {
        const done = this.handle(run).finally(() => {
          this.active.delete(run.runId);
          this.freed?.();
        });
        this.active.set(run.runId, done);
      }
    }
  }

  private async handle(run: ClaimedRun): Promise<void> {
    const handler = this.handlers.get(run.action);
    const lost = new AbortController();
    const signal = lost.signal;
    const path = `/worker/runs/${encodeURIComponent(run.runId)}`;
    const heartbeat = async () => {
      try {
        await this.call(`${path}/heartbeat`, { fencingToken: run.fencingToken });
      } catch (error) {
        if (error instanceof WorkerApiError && (error.status === 409 || error.status === 404)) lost.abort();
        else this.options.onError?.(error, run.runId);
      }
    };
    const every = Math.max(10, Math.floor(run.leaseMs / 3));
    const timer = setInterval(() => void heartbeat(), every);
    const context: WorkerContext = {
      runId: run.runId,
      executionId: run.executionId,
      workflow: run.workflow,
      task: run.task,
      action: run.action,
      ...(run.item === undefined ? {} : { item: run.item }),
      attempt: run.attempt,
      fencingToken: run.fencingToken,
      idempotencyKey: run.idempotencyKey,
      signal,
      heartbeat,
    };
    let report: { path: string; body: Record<string, unknown> };
    try {
      if (!handler) throw new ActionError('no_handler', `worker ${this.options.name} has no handler for ${run.action}`);
      const result = await handler(run.input, context);
      report = { path: `${path}/complete`, body: { fencingToken: run.fencingToken, result: result ?? null } };
    } catch (error) {
      report = { path: `${path}/fail`, body: { fencingToken: run.fencingToken, error: errorBody(error) } };
    } finally {
      clearInterval(timer);
    }
    if (lost.signal.aborted) return;
    // A report is idempotent (the fencing token names the attempt): when the server cannot be
    // reached — it restarts — the report is sent again rather than lost.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.call(report.path, report.body);
        return;
      } catch (error) {
        const unreachable = !(error instanceof WorkerApiError) || error.status === 503;
        if (unreachable && attempt < REPORT_RETRIES) {
          await pause(Math.min(2000, 100 * 2 ** attempt), new AbortController().signal);
          continue;
        }
        // 409: the attempt is no longer ours (a retry owns the run); anything else is worth telling.
        if (!(error instanceof WorkerApiError && error.status === 409)) this.options.onError?.(error, run.runId);
        return;
      }
    }
  }

  private call<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise<T>((resolve, reject) => {
      const request = this.request(
        `${this.base}${path}`,
        {
          method: 'POST',
          agent: this.agent,
          signal,
          headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'application/json', 'content-length': payload.length },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: any; // eslint-disable-line @typescript-eslint/no-explicit-any
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = undefined;
            }
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve(parsed as T);
            const error = parsed?.error ?? {};
            reject(new WorkerApiError(status, error.code ?? 'error', error.message ?? `${path} answered ${status}`));
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }
}

function errorBody(error: unknown): Record<string, unknown> {
  if (error instanceof ActionError) return { code: error.code, message: error.message, ...(error.details ?? {}) };
  if (error instanceof Error) return { code: 'error', message: error.message };
  return { code: 'error', message: String(error) };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
