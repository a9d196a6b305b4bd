import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { EngineInput, ExecutionOutcome } from '@trellis/runtime';
import { WorkflowRuntimeHost } from '../../workflows/runtime/workflow-runtime.host';
import { AnswerInquiryCommand, ControlExecutionCommand, StartExecutionCommand } from './execution-commands';

@CommandHandler(StartExecutionCommand)
export class StartExecutionHandler implements ICommandHandler<StartExecutionCommand> {
  constructor(private readonly host: WorkflowRuntimeHost) {}

  async execute({ workflow, request, caller }: StartExecutionCommand): Promise<{ executionId: string; created: boolean }> {
    const { executionId, created } = await this.host.runtime.engine.start({ workflow, ...request, actor: caller.actor, correlationId: caller.requestId });
    return { executionId, created };
  }
}

@CommandHandler(ControlExecutionCommand)
export class ControlExecutionHandler implements ICommandHandler<ControlExecutionCommand> {
  constructor(private readonly host: WorkflowRuntimeHost) {}

  execute({ executionId, control, caller, tasks, reason }: ControlExecutionCommand): Promise<ExecutionOutcome> {
    const actor = caller.actor;
    const command: EngineInput =
      control === 'pause'
        ? { type: 'PauseExecution', actor }
        : control === 'resume'
          ? { type: 'ResumeExecution', actor }
          : control === 'cancel'
            ? { type: 'CancelExecution', actor, ...(reason ? { reason } : {}) }
            : { type: 'RetryExecution', actor, ...(tasks ? { tasks } : {}) };
    return this.host.runtime.engine.send(executionId, command, { actor, correlationId: caller.requestId });
  }
}

@CommandHandler(AnswerInquiryCommand)
export class AnswerInquiryHandler implements ICommandHandler<AnswerInquiryCommand> {
  constructor(private readonly host: WorkflowRuntimeHost) {}

  execute({ executionId, task, answer, caller }: AnswerInquiryCommand): Promise<ExecutionOutcome> {
    return this.host.runtime.engine.send(
      executionId,
      { type: 'AnswerInquiry', task, answer, actor: caller.actor, roles: caller.roles },
      { actor: caller.actor, correlationId: caller.requestId },
    );
  }
}
