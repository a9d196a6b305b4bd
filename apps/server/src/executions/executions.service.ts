/**
 * Executions over REST (and the GraphQL mutations): commands go through the command bus; the view
 * and the listing are read from the workflow-executions read model through ExecutionQueries, the
 * query service GraphQL reads too; history and diagram read the execution's stream.
 */
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '@trellis/domain';
import { ANY_PROJECT } from '@trellis/domain/access';
import { EventStore } from '@trellis/eventstore';
import { ExecutionQueries, type ExecutionDetail } from '@trellis/projections';
import { executionStreamId, foldState, type WorkflowRuntime } from '@trellis/runtime';
import { executionDiagram } from '@trellis/workflow';
import type { Principal } from '../common/auth/principal';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DEFAULT_HISTORY_PAGE, type HistoryQueryDto } from '../entities/dto/entity-queries.dto';
import { toHistoryEventDto, type HistoryPageDto } from '../entities/dto/history.dto';
import { WorkflowRuntimeHost } from '../workflows/runtime/workflow-runtime.host';
import { AnswerInquiryCommand, ControlExecutionCommand, StartExecutionCommand, type Caller, type Control } from './commands/execution-commands';
import type { ExecutionPageDto, ExecutionStatusDto, StartExecutionDto } from './dto/execution.dto';
import { parseListQuery } from './dto/execution-list-query';
import { toExecutionSummaryDto, toExecutionViewDto, type ExecutionViewDto } from './dto/execution-view.dto';
import { READ_YOUR_WRITES_MS, readYourWrites } from './read-your-writes';

@Injectable()
export class ExecutionsService {
  private readonly runtime: WorkflowRuntime;
  private readonly readWaitMs: number;

  constructor(
    private readonly commands: CommandBus,
    private readonly store: EventStore,
    private readonly queries: ExecutionQueries,
    host: WorkflowRuntimeHost,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.runtime = host.runtime;
    this.readWaitMs = config.projectionIntervalMs + READ_YOUR_WRITES_MS;
  }

  async start(workflow: string, body: StartExecutionDto, principal: Principal, requestId: string): Promise<{ id: string }> {
    const { executionId } = await this.commands.execute(new StartExecutionCommand(workflow, body, caller(principal, requestId)));
    return { id: executionId };
  }

  async control(id: string, control: Control, principal: Principal, requestId: string, options: { tasks?: string[]; reason?: string } = {}): Promise<ExecutionStatusDto> {
    const outcome = await this.commands.execute(new ControlExecutionCommand(id, control, caller(principal, requestId), options.tasks, options.reason));
    return { id, status: outcome.state.status };
  }

  async answer(id: string, task: string, answer: unknown, principal: Principal, requestId: string): Promise<ExecutionStatusDto & { task: string }> {
    const outcome = await this.commands.execute(new AnswerInquiryCommand(id, task, answer, await this.inquiryCaller(id, task, principal, requestId)));
    return { id, task, status: outcome.state.status };
  }

  /** Oldest first, in start order (as REST has always listed them). */
  async list(query: Record<string, unknown>): Promise<ExecutionPageDto> {
    const { filter, page } = parseListQuery(query);
    const found = await this.queries.list(filter, page, 'oldest');
    return { executions: found.items.map(toExecutionSummaryDto), next: found.nextCursor };
  }

  /** GET /executions/{id}: the read model's view in its REST shape. */
  async get(id: string): Promise<ExecutionViewDto> {
    return toExecutionViewDto(await this.detail(id));
  }

  /** The read model's view once it holds what the stream has now (read-your-writes.ts); REST and GraphQL. */
  async detail(id: string): Promise<ExecutionDetail> {
    const sources = {
      lastRevision: async (executionId: string) => {
        const [last] = await this.store.readStream(executionStreamId(executionId), { direction: 'backwards', maxCount: 1 });
        return last ? last.revision : null;
      },
      folded: (executionId: string) => this.queries.folded(executionId),
      view: (executionId: string) => this.queries.get(executionId).catch(notFoundAsNull),
    };
    return readYourWrites(id, sources, this.readWaitMs);
  }

  /** History is the execution's event stream by definition: it is read from the stream, not a read model. */
  async history(id: string, query: HistoryQueryDto): Promise<HistoryPageDto> {
    await this.runtime.engine.locate(id);
    const limit = query.limit ?? DEFAULT_HISTORY_PAGE;
    const events = await this.store.readStream(executionStreamId(id), { fromRevision: (query.after ?? -1) + 1, maxCount: limit + 1 });
    const page = events.slice(0, limit);
    return { events: page.map(toHistoryEventDto), next: events.length > limit ? page[page.length - 1].revision : null };
  }

  /** The definition's graph coloured by the engine's own fold of the stream (as the decider sees it). */
  async diagram(id: string): Promise<string> {
    await this.runtime.engine.locate(id);
    const state = foldState(await this.store.readStream(executionStreamId(id)));
    return executionDiagram(this.runtime.registry.compiled(state.workflow, state.version), state);
  }

  /**
   * Inquiries name roles, not projects: the caller's roles anywhere count, and an engine-wide
   * admin holds every role (as everywhere else), so it is given the roles the inquiry asks for.
   */
  private async inquiryCaller(id: string, task: string, principal: Principal, requestId: string): Promise<Caller> {
    const base = caller(principal, requestId);
    if (!(principal.roles[ANY_PROJECT] ?? []).includes('admin')) return base;
    const { state } = await this.runtime.engine.load(id);
    const asked = Object.values(state.activations)
      .filter((a) => a.task === task)
      .flatMap((a) => a.runs.flatMap((r) => r?.inquiry?.roles ?? []));
    return { ...base, roles: [...new Set([...base.roles, ...asked])] };
  }
}

function caller(principal: Principal, requestId: string): Caller {
  const roles = new Set<string>();
  for (const held of Object.values(principal.roles)) held.forEach((role) => roles.add(role));
  return { actor: principal.actor, roles: [...roles], requestId };
}

function notFoundAsNull(error: unknown): ExecutionDetail | null {
  if (error instanceof DomainError && error.code === 'not_found') return null;
  throw error;
}
