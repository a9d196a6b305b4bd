export * from './collections';
export type { ActivationRunView, ActivationView, RunAttemptView, WaitingView } from './activation-view';
export * from './execution.queries';
export { foldExecutionSummary, foldExecutionView, startExecutionSummary, startExecutionView } from './execution-view';
export { workflowExecutionsProjection, EXECUTION_STREAM_PREFIX } from './workflow-executions.projection';
