/**
 * The read side (DESIGN.md, Read side: projections): the shipped projections and the query
 * services that read them. REST controllers and GraphQL resolvers both call these services.
 */
import type { Projection } from '@trellis/runtime/projections';
import { auditHistoryProjection } from './audit-history';
import { sprintBoardProjection, type BoardRules } from './sprint-board';
import { workflowExecutionsProjection } from './workflow-executions';

export * from './common/queries';
export * from './sprint-board';
export * from './audit-history';
export * from './workflow-executions';

export interface ShippedProjectionsOptions {
  boardRules?: BoardRules;
}

export function shippedProjections(options: ShippedProjectionsOptions = {}): Projection[] {
  return [sprintBoardProjection(options.boardRules), auditHistoryProjection(), workflowExecutionsProjection()];
}
