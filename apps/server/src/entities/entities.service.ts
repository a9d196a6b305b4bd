/**
 * Entity commands from requests: each request becomes one command on the command bus (API.md,
 * Entities). Ids are made and the clock is read here, at the edge; the project a creation happens
 * in is checked here (its stream is not the new entity's); everything else is decided, with the
 * access check, against the entity's own stream in the command handler.
 */
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError, ISSUE_LIFECYCLE, SPRINT_LIFECYCLE, type EntityState } from '@trellis/domain';
import { ANY_PROJECT } from '@trellis/domain/access';
import type { CommandOutcome, EntityCommandData } from '@trellis/runtime';
import type { Permission } from './access/entity-access';
import { ExecuteEntityCommand } from './commands/execute-entity-command.command';
import { toEntityDto, toPendingApprovalDto, type EntityDto, type PendingEntityDto } from './dto/entity.dto';
import type { ApprovalDto, TransitionDto } from './dto/transition.dto';
import { EntityQueries, notFound } from './entity-queries.service';
import { customLifecycle, PROJECT_LIFECYCLE, streamOf, type EntityRef } from './entity-kinds';
import { newEntityId, type RequestOrigin } from './http/request-origin';

export interface CommandResponse {
  status: 200 | 201 | 202;
  body: EntityDto | PendingEntityDto;
}

interface Dispatch {
  need: Permission;
  project?: string;
  expectedVersion?: number;
  newStream?: boolean;
}

@Injectable()
export class EntitiesService {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: EntityQueries,
  ) {}

  createProject(body: unknown, origin: RequestOrigin): Promise<CommandResponse> {
    return this.create(PROJECT_LIFECYCLE, ANY_PROJECT, body, origin);
  }

  /** Sprints and issues are created in an existing project, by those who may write there. */
  async createInProject(projectId: string, lifecycle: typeof SPRINT_LIFECYCLE | typeof ISSUE_LIFECYCLE, body: unknown, origin: RequestOrigin): Promise<CommandResponse> {
    await this.queries.require({ lifecycle: PROJECT_LIFECYCLE, id: projectId }, origin.principal, 'write');
    return this.create(lifecycle, projectId, body, origin);
  }

  /** Entities of a registered lifecycle belong to no project: roles on '*' apply. */
  createCustom(lifecycle: string, body: unknown, origin: RequestOrigin): Promise<CommandResponse> {
    return this.create(customLifecycle(lifecycle), ANY_PROJECT, body, origin);
  }

  async changeFields(ref: EntityRef, body: unknown, origin: RequestOrigin): Promise<CommandResponse> {
    const { expectedVersion, ...fields } = objectBody(body);
    const outcome = await this.execute(ref, { type: 'ChangeFields', fields }, origin, { need: 'write', expectedVersion: versionOf(expectedVersion) });
    return this.respond(ref, outcome, 200);
  }

  async transition(ref: EntityRef, dto: TransitionDto, origin: RequestOrigin): Promise<CommandResponse> {
    const { expectedVersion, ...request } = dto;
    const outcome = await this.execute(ref, { type: 'TransitionEntity', ...request }, origin, { need: 'write', expectedVersion });
    return this.respond(ref, outcome, 200, dto.transition);
  }

  /** Who may vote is the gate's business (the decider checks its roles); reading the entity is the entry ticket. */
  async decideApproval(ref: EntityRef, dto: ApprovalDto, origin: RequestOrigin): Promise<CommandResponse> {
    const outcome = await this.execute(ref, { type: 'DecideApproval', ...dto }, origin, { need: 'read' });
    return this.respond(ref, outcome, 200, dto.transition);
  }

  /** The issue's half follows through the sprint-scope process manager. */
  async addToScope(sprint: EntityRef, issueId: string, origin: RequestOrigin): Promise<CommandResponse> {
    await this.requireIssueOfSprintProject(sprint, issueId, origin);
    return this.respond(sprint, await this.execute(sprint, { type: 'AddIssueToSprint', issueId }, origin, { need: 'write' }), 200);
  }

  async removeFromScope(sprint: EntityRef, issueId: string, origin: RequestOrigin): Promise<CommandResponse> {
    return this.respond(sprint, await this.execute(sprint, { type: 'RemoveIssueFromSprint', issueId }, origin, { need: 'write' }), 200);
  }

  private async create(lifecycle: string, project: string, body: unknown, origin: RequestOrigin): Promise<CommandResponse> {
    const ref = { lifecycle, id: newEntityId(origin, lifecycle, project, randomUUID) };
    const command: EntityCommandData = {
      type: 'CreateEntity',
      entityId: ref.id,
      lifecycle,
      ...(project === ANY_PROJECT ? {} : { projectId: project }),
      fields: objectBody(body),
    };
    // A fresh random id names a stream nobody wrote yet; a keyed one may be a replay.
    const newStream = origin.idempotencyKey === undefined;
    return this.respond(ref, await this.execute(ref, command, origin, { need: 'write', project, newStream }), 201);
  }

  private execute(ref: EntityRef, command: EntityCommandData, origin: RequestOrigin, dispatch: Dispatch): Promise<CommandOutcome<EntityState>> {
    const { principal, requestId, idempotencyKey } = origin;
    return this.commands.execute(
      new ExecuteEntityCommand(
        streamOf(ref),
        command,
        { principal, need: dispatch.need, project: dispatch.project, occurredAt: new Date().toISOString() },
        { idempotencyKey, expectedVersion: dispatch.expectedVersion, correlationId: requestId, newStream: dispatch.newStream },
      ),
    );
  }

  /**
   * The entity as the command left it; a replayed command (same idempotency key) is answered from
   * the state right after the events it appended the first time, so it gets the same answer.
   * A command about a gated transition that leaves its request pending answers 202.
   */
  private async respond(ref: EntityRef, outcome: CommandOutcome<EntityState>, status: 200 | 201, gated?: string): Promise<CommandResponse> {
    const last = outcome.events[outcome.events.length - 1];
    const state = outcome.duplicate && last ? await this.queries.stateAfter(ref, last.revision) : outcome.state;
    const pending = gated === undefined ? undefined : state.pendingApprovals.find((p) => p.transition === gated);
    if (pending) return { status: 202, body: { ...toEntityDto(state), pendingApproval: toPendingApprovalDto(pending) } };
    return { status, body: toEntityDto(state) };
  }

  private async requireIssueOfSprintProject(sprint: EntityRef, issueId: string, origin: RequestOrigin): Promise<void> {
    const issueRef = { lifecycle: ISSUE_LIFECYCLE, id: issueId };
    const [sprintState, issue] = await Promise.all([this.queries.require(sprint, origin.principal, 'write'), this.queries.load(issueRef)]);
    // Projects never change, so this check cannot go stale before the command is decided.
    if (!issue.exists || issue.projectId !== sprintState.projectId) {
      throw issue.exists
        ? new DomainError('validation_failed', `issue ${issueId} belongs to another project than sprint ${sprint.id}`, {
            violations: [{ path: 'issueId', message: 'must be an issue of the sprint’s project' }],
          })
        : notFound(issueRef);
    }
  }
}

/** Entity fields are free-form here: the lifecycle's schema judges them in the decider. */
function objectBody(body: unknown): Record<string, unknown> {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  throw new DomainError('validation_failed', 'the body must be a JSON object', { violations: [{ path: 'body', message: 'must be a JSON object' }] });
}

function versionOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new DomainError('validation_failed', 'expectedVersion must be a whole number from 0', {
    violations: [{ path: 'expectedVersion', message: 'must be an integer not less than 0' }],
  });
}
