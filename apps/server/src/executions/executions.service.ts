import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '@trellis/domain';
import { ANY_PROJECT } from '@trellis/domain/access';
import { EventStore } from '@trellis/eventstore';
import { executionStreamId, executionView, foldState, MAX_LIST_LIMIT, type ExecutionSummary, type ExecutionView, type WorkflowRuntime } from '@trellis/runtime';
import { executionDiagram } from '@trellis/workflow';
import type { Principal } from '../common/auth/principal';
import { DEFAULT_HISTORY_PAGE, type HistoryQueryDto } from '../entities/dto/entity-queries.dto';
import { toHistoryEventDto, type HistoryPageDto } from '../entities/dto/history.dto';
import { WorkflowRuntimeHost } from '../workflows/runtime/workflow-runtime.host';
import { AnswerInquiryCommand, ControlExecutionCommand, StartExecutionCommand, type Caller, type Control } from './commands/execution-commands';
import type { ExecutionPageDto, ExecutionStatusDto, ExecutionSummaryDto, StartExecutionDto } from './dto/execution.dto';

const STATUSES = ['running', 'pausing', 'paused', 'failing', 'failed', 'canceling', 'canceled', 'succeeded'];

@Injectable()
export class ExecutionsService {
  private readonly runtime: WorkflowRuntime;

  constructor(
    private readonly commands: CommandBus,
    private readonly store: EventStore,
    host: WorkflowRuntimeHost,
  ) {
    this.runtime = host.runtime;
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

  list(query: Record<string, unknown>): ExecutionPageDto {
    const { workflow, status, after, limit, ...search } = query;
    const violations: Array<{ path: string; message: string }> = [];
    const text = (name: string, value: unknown): string | undefined => {
      if (value === undefined) return undefined;
      if (typeof value !== 'string') violations.push({ path: name, message: 'must be given once, as text' });
      return typeof value === 'string' ? value : undefined;
    };
    const statusText = text('status', status);
    if (statusText !== undefined && !STATUSES.includes(statusText)) violations.push({ path: 'status', message: `must be one of ${STATUSES.join(', ')}` });
    const afterText = text('after', after);
    if (afterText !== undefined && !/^\d+$/.test(afterText)) violations.push({ path: 'after', message: 'must be the `next` of a previous page' });
    const limitText = text('limit', limit);
    const limitValue = limitText === undefined ? undefined : Number(limitText);
    if (limitValue !== undefined && (!Number.isInteger(limitValue) || limitValue < 1 || limitValue > MAX_LIST_LIMIT)) {
      violations.push({ path: 'limit', message: `must be a whole number from 1 to ${MAX_LIST_LIMIT}` });
    }
    const searchFields: Record<string, string> = {};
    for (const [name, value] of Object.entries(search)) {
      const given = text(name, value);
      if (given !== undefined) searchFields[name] = given;
    }
    if (violations.length) throw new DomainError('validation_failed', `invalid query: ${violations.map((v) => `${v.path} ${v.message}`).join('; ')}`, { violations });
    const page = this.runtime.index.list({ workflow: text('workflow', workflow), status: statusText, after: afterText, limit: limitValue, search: searchFields });
    return { executions: page.items.map(toSummaryDto), next: page.next };
  }

  async get(id: string): Promise<ExecutionView> {
    return executionView(await this.events(id));
  }

  async history(id: string, query: HistoryQueryDto): Promise<HistoryPageDto> {
    await this.runtime.engine.locate(id);
    const limit = query.limit ?? DEFAULT_HISTORY_PAGE;
    const events = await this.store.readStream(executionStreamId(id), { fromRevision: (query.after ?? -1) + 1, maxCount: limit + 1 });
    const page = events.slice(0, limit);
    return { events: page.map(toHistoryEventDto), next: events.length > limit ? page[page.length - 1].revision : null };
  }

  async diagram(id: string): Promise<string> {
    const state = foldState(await this.events(id));
    return executionDiagram(this.runtime.registry.compiled(state.workflow, state.version), state);
  }

  private async events(id: string) {
    await this.runtime.engine.locate(id);
    return this.store.readStream(executionStreamId(id));
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

function toSummaryDto(summary: ExecutionSummary): ExecutionSummaryDto {
  const { id, workflow, version, status, search, actor, parent, startedAt, endedAt, updatedAt, error } = summary;
  return { id, workflow, version, status, search, actor, ...(parent ? { parent } : {}), startedAt, ...(endedAt ? { endedAt } : {}), updatedAt, ...(error ? { error } : {}) };
}
