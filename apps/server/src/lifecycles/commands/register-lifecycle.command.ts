import { Command } from '@nestjs/cqrs';
import type { Registration, RegistrationRequest } from '../lifecycle-registry';

export class RegisterLifecycleCommand extends Command<Registration> {
  constructor(readonly request: RegistrationRequest) {
    super();
  }
}
