import { Command } from '@nestjs/cqrs';
import type { CommandOutcome } from '@trellis/runtime';
import type { IssueToken, TokenState } from '@trellis/domain/access';

export class IssueTokenCommand extends Command<CommandOutcome<TokenState>> {
  constructor(
    readonly data: Omit<IssueToken, 'type'>,
    /** Who issues it (an admin), and the request it came from. */
    readonly actor: string,
    readonly occurredAt: string,
    readonly correlationId?: string,
  ) {
    super();
  }
}
