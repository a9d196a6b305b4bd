import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOutcome, CommandPipeline } from '@trellis/runtime';
import { tokenDecider, TokenState, tokenStreamId } from '@trellis/domain/access';
import { TokenIndex } from '../token-index';
import { IssueTokenCommand } from './issue-token.command';

@CommandHandler(IssueTokenCommand)
export class IssueTokenHandler implements ICommandHandler<IssueTokenCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly tokens: TokenIndex,
  ) {}

  async execute(command: IssueTokenCommand): Promise<CommandOutcome<TokenState>> {
    const outcome = await this.pipeline.handle(tokenDecider, tokenStreamId(command.data.tokenId), {
      data: { type: 'IssueToken', ...command.data },
      actor: command.actor,
      occurredAt: command.occurredAt,
      correlationId: command.correlationId,
      // The token id is fresh for every request, so a retry of this exact command is idempotent.
      idempotencyKey: command.data.tokenId,
      newStream: true,
    });
    // Usable as soon as the caller sees it, on this node (read-your-writes for the issuer).
    outcome.events.forEach((event) => this.tokens.add(event));
    return outcome;
  }
}
