/**
 * What can happen to an execution. Time arrives as `now` (ISO 8601) in every command and ids
 * come from the caller or are derived from the execution id, so the decider is pure and a replay
 * decides the same.
 */
interface At {
  now: string;
}

export type StartExecution = At & {
  type: 'StartExecution';
  executionId: string;
  parameters?: Record<string, unknown>;
  actor: string;
  /** The registry's version of the workflow the decider was built from. */
  version?: number;
  /** A child execution: its parent task run, and its depth (the parent's depth + 1). */
  parent?: { executionId: string; runId: string; depth: number };
};
/** A worker claimed (or the runtime began) the attempt the fencing token names. */
export type StartTaskRun = At & { type: 'StartTaskRun'; runId: string; fencingToken: number; worker?: string };
export type CompleteTaskRun = At & { type: 'CompleteTaskRun'; runId: string; fencingToken: number; result?: unknown };
export type FailTaskRun = At & { type: 'FailTaskRun'; runId: string; fencingToken: number; error: unknown };
export type FireTimer = At & { type: 'FireTimer'; timerId: string };
export type AnswerInquiry = At & {
  type: 'AnswerInquiry';
  task: string;
  /** Which run, when the task waits for more than one answer. */
  runId?: string;
  answer: unknown;
  actor: string;
  roles: readonly string[];
};
export type PauseExecution = At & { type: 'PauseExecution'; actor: string };
export type ResumeExecution = At & { type: 'ResumeExecution'; actor: string };
export type CancelExecution = At & { type: 'CancelExecution'; actor: string; reason?: string };
export type RetryExecution = At & { type: 'RetryExecution'; actor: string; tasks?: string[] };

export type ExecutionCommand =
  | StartExecution
  | StartTaskRun
  | CompleteTaskRun
  | FailTaskRun
  | FireTimer
  | AnswerInquiry
  | PauseExecution
  | ResumeExecution
  | CancelExecution
  | RetryExecution;
