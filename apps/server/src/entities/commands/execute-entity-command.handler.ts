import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { isDomainError, type EntityDecider, type EntityState } from '@trellis/domain';
import { CommandOutcome, CommandPipeline } from '@trellis/runtime';
import { MetricsService } from '../../metrics/metrics.service';
import { authorizedDecider } from '../access/entity-access';
import { ENTITY_DECIDER } from '../entity-decider';
import { ExecuteEntityCommand } from './execute-entity-command.command';

@CommandHandler(ExecuteEntityCommand)
export class ExecuteEntityCommandHandler implements ICommandHandler<ExecuteEntityCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(ENTITY_DECIDER) private readonly decider: EntityDecider,
    private readonly metrics: MetricsService,
  ) {}

  async execute({ streamId, command, authority, delivery }: ExecuteEntityCommand): Promise<CommandOutcome<EntityState>> {
    try {
      // The command data is what the caller asked for, without who and when: an idempotency key
      // replayed later (another clock reading) still fingerprints the same.
      const outcome = await this.pipeline.handle(authorizedDecider(this.decider, authority), streamId, {
        data: command,
        actor: authority.principal.actor,
        occurredAt: authority.occurredAt,
        ...delivery,
      });
      this.metrics.commands.inc({ command: command.type, outcome: outcome.duplicate ? 'duplicate' : 'ok' });
      if (!outcome.duplicate) this.metrics.eventsAppended.inc(outcome.events.length);
      return outcome;
    } catch (error) {
      this.metrics.commands.inc({ command: command.type, outcome: isDomainError(error) ? error.code : 'error' });
      throw error;
    }
  }
}
