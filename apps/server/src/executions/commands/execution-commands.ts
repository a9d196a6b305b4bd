/**
 * What a caller asks of executions, one command class per API call; the handlers send them to the
 * workflow runtime, which decides them on the execution's stream through the command pipeline.
 */
import { Command } from '@nestjs/cqrs';
import type { ExecutionOutcome } from '@trellis/runtime';

export interface Caller {
  actor: string;
  /** The roles held anywhere (for inquiries, whose `roles` name no project). */
  roles: readonly string[];
  requestId: string;
}

export class StartExecutionCommand extends Command<{ executionId: string; created: boolean }> {
  constructor(
    readonly workflow: string,
    readonly request: { parameters?: Record<string, unknown>; version?: number; idempotencyKey?: string },
    readonly caller: Caller,
  ) {
    super();
  }
}

export type Control = 'pause' | 'resume' | 'cancel' | 'retry';

export class ControlExecutionCommand extends Command<ExecutionOutcome> {
  constructor(
    readonly executionId: string,
    readonly control: Control,
    readonly caller: Caller,
    readonly tasks?: string[],
    readonly reason?: string,
  ) {
    super();
  }
}

export class AnswerInquiryCommand extends Command<ExecutionOutcome> {
  constructor(
    readonly executionId: string,
    readonly task: string,
    readonly answer: unknown,
    readonly caller: Caller,
  ) {
    super();
  }
}
