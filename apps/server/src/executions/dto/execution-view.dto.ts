/**
 * GET /executions/{id} and the items of GET /executions in their REST shapes, made from the
 * workflow-executions read model (the query service GraphQL reads too). Optional fields are left
 * out when empty, as the API has always answered them.
 */
import type { ActivationView, ExecutionDetail, ExecutionSummary, WaitingView } from '@trellis/projections';
import type { ParentLink } from '@trellis/workflow';
import type { ExecutionSummaryDto } from './execution.dto';

/** Status, tasks (every activation) with their runs and attempts, vars, output, error, timings, what it waits for. */
export interface ExecutionViewDto {
  id: string;
  workflow: string;
  version: number;
  status: string;
  actor: string;
  parent?: ParentLink;
  depth: number;
  parameters: Record<string, unknown>;
  vars: Record<string, unknown>;
  search: Record<string, unknown>;
  output: unknown;
  error: unknown;
  startedAt: string;
  endedAt?: string;
  updatedAt: string;
  tasks: ActivationView[];
  waiting: WaitingView;
  eventCount: number;
}

export function toExecutionViewDto(view: ExecutionDetail): ExecutionViewDto {
  const { id, workflow, version, status, actor, parent, depth, parameters, vars, search, output, error, startedAt, endedAt, updatedAt } = view;
  return {
    id,
    workflow,
    version,
    status,
    actor,
    ...(parent ? { parent } : {}),
    depth,
    parameters,
    vars,
    search,
    output: output ?? null,
    error: error ?? null,
    startedAt,
    ...(endedAt ? { endedAt } : {}),
    updatedAt,
    tasks: view.activations,
    waiting: view.waiting,
    eventCount: view.eventCount,
  };
}

export function toExecutionSummaryDto(summary: ExecutionSummary): ExecutionSummaryDto {
  const { id, workflow, version, status, search, actor, parent, startedAt, endedAt, updatedAt, error } = summary;
  return { id, workflow, version, status, search, actor, ...(parent ? { parent } : {}), startedAt, ...(endedAt ? { endedAt } : {}), updatedAt, ...(error ? { error } : {}) };
}
