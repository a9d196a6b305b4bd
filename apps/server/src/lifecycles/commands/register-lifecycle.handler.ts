import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { LifecycleRegistry, type Registration } from '../lifecycle-registry';
import { RegisterLifecycleCommand } from './register-lifecycle.command';

/** The registry appends through the command pipeline and keeps the compiled version it appended. */
@CommandHandler(RegisterLifecycleCommand)
export class RegisterLifecycleHandler implements ICommandHandler<RegisterLifecycleCommand> {
  constructor(private readonly registry: LifecycleRegistry) {}

  execute(command: RegisterLifecycleCommand): Promise<Registration> {
    return this.registry.register(command.request);
  }
}
