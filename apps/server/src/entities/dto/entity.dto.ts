import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { EntityState, PendingApproval } from '@trellis/domain';

export class ApprovalVoteDto {
  @ApiProperty() actor: string;
  @ApiPropertyOptional() comment?: string;
  @ApiProperty() at: string;
}

export class PendingApprovalDto {
  @ApiProperty() transition: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: [String], description: 'Roles that may approve.' }) roles: string[];
  @ApiProperty({ description: 'Distinct approvals needed.' }) count: number;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty() data: Record<string, unknown>;
  @ApiProperty() requestedBy: string;
  @ApiProperty() requestedAt: string;
  @ApiProperty({ type: [ApprovalVoteDto] }) approvals: ApprovalVoteDto[];
}

export class EntityDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'issue' }) lifecycle: string;
  @ApiProperty({ description: 'The definition version the entity follows.' }) lifecycleVersion: number;
  @ApiPropertyOptional() projectId?: string;
  @ApiProperty({ example: 'InProgress' }) state: string;
  @ApiProperty({ description: 'The data the current state was entered with.' }) data: Record<string, unknown>;
  @ApiProperty() fields: Record<string, unknown>;
  @ApiProperty({ description: 'Number of events in the entity’s stream; send it back as `expectedVersion`.' }) version: number;
  @ApiProperty({ type: [PendingApprovalDto] }) pendingApprovals: PendingApprovalDto[];
  @ApiPropertyOptional({ type: [String], description: 'Sprints: the issues in the sprint.' }) scope?: string[];
  @ApiPropertyOptional({ description: 'Issues: the sprint the issue is in.' }) sprintId?: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

/** 202: the pending request the command recorded (or found), beside the entity. */
export class PendingEntityDto extends EntityDto {
  @ApiProperty({ type: PendingApprovalDto }) pendingApproval: PendingApprovalDto;
}

/**
 * The API's `version` counts the events in the stream, as the command pipeline does (and as
 * `expectedVersion` is checked); the folded state counts revisions from 0. One number is shown.
 */
export const apiVersion = (state: EntityState): number => state.version + 1;

export function toEntityDto(state: EntityState): EntityDto {
  return {
    id: state.id,
    lifecycle: state.lifecycle,
    lifecycleVersion: state.lifecycleVersion,
    ...(state.projectId === undefined ? {} : { projectId: state.projectId }),
    state: state.state,
    data: state.data,
    fields: state.fields,
    version: apiVersion(state),
    pendingApprovals: state.pendingApprovals.map(toPendingApprovalDto),
    ...(state.scope === undefined ? {} : { scope: state.scope }),
    ...(state.sprint === undefined ? {} : { sprintId: state.sprint }),
    createdAt: state.createdAt ?? '',
    updatedAt: state.updatedAt ?? '',
  };
}

export const toPendingApprovalDto = (p: PendingApproval): PendingApprovalDto => ({ ...p, approvals: p.approvals.map((a) => ({ ...a })) });
