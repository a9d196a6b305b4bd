export * from './events';
export * from './commands';
export {
  initialState,
  runIdFor,
  parseRunId,
  findRun,
  taskView,
  liveRuns,
  isTerminal,
  type ExecutionState,
  type ExecutionStatus,
  type TaskRunStatus,
  type ActivationState,
  type RunState,
  type TaskView,
  type TimerState,
} from './state';
export { evolve } from './evolve';
export { executionDecider, foldExecution, type ExecutionDecider } from './decider';
export { nextActions, type NextActions, type RunToDispatch, type TimerToArm, type WaitingInquiry, type ChildInFlight } from './next-actions';
export { runPureBuiltin, PURE_BUILTINS, type ActionOutcome } from './builtins';
export { retryDelayMs } from './attempts';
export { normalizeTaskError } from './errors';
