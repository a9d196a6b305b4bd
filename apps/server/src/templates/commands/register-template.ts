import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { RegistrationMeta } from '@trellis/runtime';
import { WorkflowRuntimeHost } from '../../workflows/runtime/workflow-runtime.host';

export class RegisterTemplateCommand extends Command<{ name: string; version: number; created: boolean }> {
  constructor(
    readonly name: string,
    readonly source: string,
    readonly meta: RegistrationMeta,
  ) {
    super();
  }
}

@CommandHandler(RegisterTemplateCommand)
export class RegisterTemplateHandler implements ICommandHandler<RegisterTemplateCommand> {
  constructor(private readonly host: WorkflowRuntimeHost) {}

  execute({ name, source, meta }: RegisterTemplateCommand): Promise<{ name: string; version: number; created: boolean }> {
    return this.host.runtime.templates.register(name, source, meta);
  }
}
