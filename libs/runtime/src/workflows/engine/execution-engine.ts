/**
 * Everything that happens to an execution is a command on its stream `execution-<id>`, decided by
 * the decider of the workflow version it runs and appended through the command pipeline. The
 * engine stamps the time, keeps the execution index current with what it appended, and tells its
 * listeners (the reactor) about every outcome so follow-on work starts without waiting for a
 * subscription to catch up.
 */
import { canonicalJson, type EventStore, type RecordedEvent } from '@trellis/eventstore';
import { DomainError } from '@trellis/domain';
import type { ExecutionCommand, ExecutionState, StartExecution } from '@trellis/workflow';
import { nameUuid } from '../../command-handling/name-uuid';
import { randomUUID } from 'node:crypto';
import type { CommandOutcome, CommandPipeline } from '../../command-handling';
import { executionStreamId, type ExecutionIndex } from '../executions/execution-index';
import type { WorkflowRegistry } from '../registry/workflow-registry';
import { drivingDecider, type DrivingDecider, type EngineCommand } from './driving-decider';

/** A command as callers give it: the engine adds `now`. */
export type EngineInput = EngineCommand extends infer C ? (C extends EngineCommand ? Omit<C, 'now'> : never) : never;

export interface CommandMeta {
  actor?: string;
  correlationId?: string;
  causationId?: string;
  /** A pipeline idempotency key: the same key with the same command appends nothing new. */
  idempotencyKey?: string;
}

export interface StartRequest {
  workflow: string;
  version?: number;
  parameters?: Record<string, unknown>;
  actor: string;
  /** Starting again with the same key answers the same execution (API: idempotencyKey). */
  idempotencyKey?: string;
  executionId?: string;
  parent?: StartExecution['parent'];
  correlationId?: string;
  causationId?: string;
}

export type ExecutionOutcome = CommandOutcome<ExecutionState>;
export type OutcomeListener = (executionId: string, outcome: ExecutionOutcome, command: EngineInput) => void;

export const SYSTEM_ACTOR = 'system';
// Execution ids derived from an idempotency key: one namespace, so the same (workflow, key) is the same id.
const START_NAMESPACE = 'c7a5a1f2-3b9e-4f0e-9c55-1f6a2b8d4e70';

export interface EngineOptions {
  /** Decide core.noop/echo/fail inside the decision that schedules them (default true). */
  inlinePureBuiltins?: boolean;
  now?: () => Date;
}

export class ExecutionEngine {
  private readonly deciders = new Map<string, DrivingDecider>();
  private readonly listeners: OutcomeListener[] = [];
  private readonly inline: boolean;
  private readonly clock: () => Date;

  constructor(
    private readonly store: EventStore,
    private readonly pipeline: CommandPipeline,
    private readonly registry: WorkflowRegistry,
    readonly index: ExecutionIndex,
    options: EngineOptions = {},
  ) {
    this.inline = options.inlinePureBuiltins ?? true;
    this.clock = options.now ?? (() => new Date());
  }

  get inlinePureBuiltins(): boolean {
    return this.inline;
  }

  onOutcome(listener: OutcomeListener): void {
    this.listeners.push(listener);
  }

  now(): string {
    return this.clock().toISOString();
  }

  async start(request: StartRequest): Promise<{ executionId: string; outcome: ExecutionOutcome; created: boolean }> {
    const registered = this.registry.require(request.workflow, request.version);
    const executionId =
      request.executionId ?? (request.idempotencyKey ? nameUuid(`${request.workflow}\n${request.idempotencyKey}`, START_NAMESPACE) : randomUUID());
    // A repeated start must be decided with the version the execution already runs.
    const running = this.index.get(executionId);
    const decider = running ? this.deciderFor(running.workflow, running.version) : this.deciderFor(registered.ref, registered.version);
    const command: Omit<StartExecution, 'now'> = {
      type: 'StartExecution',
      executionId,
      parameters: request.parameters ?? {},
      actor: request.actor,
      version: registered.version,
      ...(request.parent ? { parent: request.parent } : {}),
    };
    const outcome = await this.handle(decider, executionId, command, {
      actor: request.actor,
      correlationId: request.correlationId,
      causationId: request.causationId,
    });
    const created = outcome.events.some((e) => e.type === 'ExecutionStarted');
    if (!created && request.idempotencyKey) this.assertSameStart(outcome.state, registered.ref, request);
    return { executionId, outcome, created };
  }

  async send(executionId: string, command: EngineInput, meta: CommandMeta = {}): Promise<ExecutionOutcome> {
    const { workflow, version } = await this.locate(executionId);
    return this.handle(this.deciderFor(workflow, version), executionId, command, meta);
  }

  /** The folded state (from the pipeline's cache when warm). */
  async load(executionId: string): Promise<{ state: ExecutionState; version: number }> {
    const { workflow, version } = await this.locate(executionId);
    return this.pipeline.load(this.deciderFor(workflow, version), executionStreamId(executionId));
  }

  /** The workflow and version an execution runs. */
  async locate(executionId: string): Promise<{ workflow: string; version: number }> {
    const known = this.index.get(executionId);
    if (known) return known;
    // Started by another writer and not indexed yet: its first event says.
    const [first] = await this.store.readStream(executionStreamId(executionId), { maxCount: 1 });
    if (first?.type === 'ExecutionStarted') {
      this.index.apply(first);
      const data = first.data as { workflow: string; version: number };
      return { workflow: data.workflow, version: data.version };
    }
    throw new DomainError('not_found', `no execution ${executionId}`, { executionId });
  }

  deciderFor(workflow: string, version: number): DrivingDecider {
    const key = `${workflow}@${version}`;
    let decider = this.deciders.get(key);
    if (!decider) {
      decider = drivingDecider(this.registry.compiled(workflow, version), { inline: this.inline });
      this.deciders.set(key, decider);
    }
    return decider;
  }

  private async handle(decider: DrivingDecider, executionId: string, command: EngineInput, meta: CommandMeta): Promise<ExecutionOutcome> {
    const outcome = await this.pipeline.handle(decider, executionStreamId(executionId), {
      data: { ...command, now: this.now() } as EngineCommand,
      actor: meta.actor ?? SYSTEM_ACTOR,
      occurredAt: this.now(),
      correlationId: meta.correlationId,
      causationId: meta.causationId,
      idempotencyKey: meta.idempotencyKey,
    });
    this.indexEvents(outcome.events);
    for (const listener of this.listeners) listener(executionId, outcome, command);
    return outcome;
  }

  indexEvents(events: readonly RecordedEvent[]): void {
    for (const event of events) this.index.apply(event);
  }

  /** An idempotency key reused for a different request is a conflict, not the old execution. */
  private assertSameStart(state: ExecutionState, ref: string, request: StartRequest): void {
    const checked = this.registry.compiled(state.workflow || ref, state.version || 1).validateParameters(request.parameters ?? {});
    const sameParameters = checked.ok && canonicalJson(checked.value) === canonicalJson(state.parameters);
    const sameVersion = request.version === undefined || request.version === state.version;
    if (state.workflow !== ref || !sameParameters || !sameVersion) {
      throw new DomainError('idempotency_conflict', `idempotency key ${request.idempotencyKey} was already used to start a different execution`, {
        idempotencyKey: request.idempotencyKey,
        executionId: state.executionId,
      });
    }
  }
}
