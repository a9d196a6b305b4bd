import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { WorkflowRegistration } from '@trellis/runtime';
import { WorkflowRuntimeHost } from '../runtime/workflow-runtime.host';
import { RegisterWorkflowCommand } from './register-workflow.command';

@CommandHandler(RegisterWorkflowCommand)
export class RegisterWorkflowHandler implements ICommandHandler<RegisterWorkflowCommand> {
  constructor(private readonly host: WorkflowRuntimeHost) {}

  execute({ ref, source, meta }: RegisterWorkflowCommand): Promise<WorkflowRegistration> {
    return this.host.runtime.registry.register(ref, source, meta);
  }
}
