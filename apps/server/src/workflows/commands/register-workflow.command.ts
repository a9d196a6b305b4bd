import { Command } from '@nestjs/cqrs';
import type { RegistrationMeta, WorkflowRegistration } from '@trellis/runtime';

export class RegisterWorkflowCommand extends Command<WorkflowRegistration> {
  constructor(
    readonly ref: string,
    readonly source: string,
    readonly meta: RegistrationMeta,
  ) {
    super();
  }
}
