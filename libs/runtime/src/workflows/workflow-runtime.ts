/**
 * The workflow runtime assembled: registries, the engine and its reactor, the in-process runner,
 * the worker queue, the timer service and the process managers. `start()` reads the definitions,
 * rebuilds the execution index, resumes every execution that has not ended (which re-arms its
 * timers, re-offers its runs and re-runs its orphaned built-ins), and starts following the log;
 * `stop()` ends all of it. No HTTP here: the server maps requests onto these objects.
 */
import type { EventStore } from '@trellis/eventstore';
import type { CommandPipeline } from '../command-handling';
import { DurableSubscriber, type CheckpointStore } from '../subscriptions';
import { builtInActions, type EntityTransitioner } from './actions';
import { ExecutionEngine, SYSTEM_ACTOR, type EngineOptions } from './engine/execution-engine';
import { EXECUTION_STREAM_PREFIX, ExecutionIndex, INDEXED_EVENT_TYPES } from './executions/execution-index';
import { WorkflowProcessManagers } from './process-managers/workflow-process-managers';
import { ChildExecutions } from './reactions/child-executions';
import { InProcessRunner } from './reactions/in-process-runner';
import { Reactor, type ReactionMode } from './reactions/reactor';
import { TemplateRegistry } from './registry/template-registry';
import { WorkflowRegistry, type DefinitionProblem } from './registry/workflow-registry';
import { Secrets } from './secrets/secrets';
import { TimerService } from './timers/timer-service';
import { WorkerQueue, type WorkerQueueOptions } from './workers/worker-queue';
import type { Subscription } from '@trellis/eventstore';

/** Messages reach the logger with every configured secret value masked. */
export interface RuntimeLogger {
  warn(message: string): void;
  error(message: string): void;
  log?(message: string): void;
}

export interface WorkflowRuntimeOptions extends EngineOptions, WorkerQueueOptions {
  store: EventStore;
  pipeline: CommandPipeline;
  /** Where the process managers keep their position; without it they do not run (benches, unit tests). */
  checkpoints?: CheckpointStore;
  secrets?: Record<string, string>;
  transitioner?: EntityTransitioner;
  /** Shipped definitions registered at start (unchanged ones register nothing). */
  examples?: Array<{ name: string; source: string }>;
  logger?: RuntimeLogger;
  /** 'driven': react only when a process manager drives an execution (tests of duplicate delivery). */
  reactionMode?: ReactionMode;
  /** How many executions are resumed at once at startup. */
  recoveryConcurrency?: number;
}

export const PROCESS_MANAGERS_NAME = 'workflow-process-managers';

const silent: RuntimeLogger = { warn: () => undefined, error: () => undefined };

export class WorkflowRuntime {
  readonly registry: WorkflowRegistry;
  readonly templates: TemplateRegistry;
  readonly index = new ExecutionIndex();
  readonly engine: ExecutionEngine;
  readonly secrets: Secrets;
  readonly timers: TimerService;
  readonly workers: WorkerQueue;
  readonly runner: InProcessRunner;
  readonly children: ChildExecutions;
  readonly reactor: Reactor;
  readonly processManagers: WorkflowProcessManagers;
  private subscriber?: DurableSubscriber;
  private following?: Subscription;
  private readonly logger: RuntimeLogger;

  constructor(private readonly options: WorkflowRuntimeOptions) {
    const { store, pipeline } = options;
    this.secrets = new Secrets(options.secrets ?? {});
    this.logger = maskedLogger(options.logger ?? silent, this.secrets);
    const onError = (error: unknown, what: string) => this.logger.error(`workflow runtime: ${what} failed: ${describe(error)}`);
    this.registry = new WorkflowRegistry(store, pipeline);
    this.templates = new TemplateRegistry(store, pipeline);
    this.engine = new ExecutionEngine(store, pipeline, this.registry, this.index, options);
    this.timers = new TimerService(
      (executionId, timerId) => this.engine.send(executionId, { type: 'FireTimer', timerId }).then(() => undefined),
      (error, timer) => onError(error, `timer ${timer.timerId}`),
    );
    this.workers = new WorkerQueue(this.engine, this.secrets, onError, options);
    this.runner = new InProcessRunner(this.engine, builtInActions(this.templates, options.transitioner), this.secrets, onError);
    this.children = new ChildExecutions(this.engine, onError);
    this.reactor = new Reactor(this.engine, this.timers, this.workers, this.runner, this.children, options.reactionMode ?? 'direct', onError);
    this.processManagers = new WorkflowProcessManagers(this.engine, this.registry, this.reactor, this.children, this.logger, options.reactionMode !== 'driven');
  }

  async start(): Promise<void> {
    await Promise.all([this.registry.start(), this.templates.start()]);
    await this.registerExamples();
    this.following = this.options.store.subscribe((event) => this.index.apply(event), {
      streamPrefix: EXECUTION_STREAM_PREFIX,
      eventTypes: [...INDEXED_EVENT_TYPES],
    });
    await this.following.caughtUp;
    // Where the catch-up reached: the log as the recovery below sees it.
    const covered = this.following.position;
    await this.resumeLive();
    this.processManagers.coveredUpTo = covered;
    if (this.options.checkpoints) {
      this.subscriber = new DurableSubscriber(this.options.store, this.options.checkpoints, {
        name: PROCESS_MANAGERS_NAME,
        handle: (event) => this.processManagers.handle(event),
        onError: (error, event) => this.logger.error(`process managers: event ${event?.position ?? '?'} (${event?.type ?? ''}) failed, retrying: ${describe(error)}`),
      });
      await this.subscriber.start();
    }
  }

  async stop(): Promise<void> {
    this.reactor.stop();
    this.timers.stop();
    this.workers.stop();
    await this.subscriber?.stop();
    await this.runner.stop();
    await this.following?.stop();
    await Promise.all([this.registry.stop(), this.templates.stop()]);
  }

  /** Registers the shipped definitions; one that names another workflow waits for it to be registered. */
  private async registerExamples(): Promise<void> {
    let pending = [...(this.options.examples ?? [])];
    const problems = new Map<string, DefinitionProblem[]>();
    while (pending.length > 0) {
      const failed: typeof pending = [];
      for (const example of pending) {
        const checked = this.registry.check(example.source);
        if (!checked.ok || !checked.ref) {
          problems.set(example.name, checked.errors);
          failed.push(example);
          continue;
        }
        try {
          await this.registry.register(checked.ref, example.source, { actor: SYSTEM_ACTOR, occurredAt: new Date().toISOString() });
        } catch (error) {
          problems.set(example.name, [{ path: '', line: null, message: describe(error) }]);
          failed.push(example);
        }
      }
      if (failed.length === pending.length) break;
      pending = failed;
    }
    for (const [name, errors] of problems) {
      if (pending.some((p) => p.name === name)) {
        this.logger.warn(`shipped workflow ${name} was not registered: ${errors.map((e) => `${e.path} (line ${e.line}): ${e.message}`).join('; ')}`);
      }
    }
  }

  /** Drives every execution that has not ended once: its timers, offers, built-ins and children resume. */
  private async resumeLive(): Promise<void> {
    const live = this.index.live().map((e) => e.id);
    const concurrency = this.options.recoveryConcurrency ?? 16;
    let next = 0;
    const worker = async () => {
      while (next < live.length) {
        const id = live[next++];
        await this.reactor.drive(id).catch((error) => this.logger.error(`resuming execution ${id} failed: ${describe(error)}`));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, live.length) }, worker));
    if (live.length) this.logger.log?.(`resumed ${live.length} running execution${live.length === 1 ? '' : 's'}`);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function maskedLogger(logger: RuntimeLogger, secrets: Secrets): RuntimeLogger {
  return {
    warn: (message) => logger.warn(secrets.mask(message)),
    error: (message) => logger.error(secrets.mask(message)),
    log: (message) => logger.log?.(secrets.mask(message)),
  };
}
