/**
 * core.transition carried out like any entity command: through the command bus into the entity
 * decider, as the execution acting with engine-wide rights (the workflow was allowed to start, and
 * the lifecycle's guards and approvals still apply), keyed by the task run so a retried attempt
 * moves the entity once. The result is the entity as GET would show it.
 */
import type { CommandBus } from '@nestjs/cqrs';
import { entityStreamId } from '@trellis/domain';
import { ANY_PROJECT } from '@trellis/domain/access';
import type { EntityTransitioner } from '@trellis/runtime';
import { ExecuteEntityCommand } from '../../entities/commands/execute-entity-command.command';
import { toEntityDto } from '../../entities/dto/entity.dto';

export function entityTransitioner(commands: CommandBus): EntityTransitioner {
  return async (request, context) => {
    const outcome = await commands.execute(
      new ExecuteEntityCommand(
        entityStreamId(request.lifecycle, request.entity),
        {
          type: 'TransitionEntity',
          transition: request.transition,
          ...(request.reason === undefined ? {} : { reason: request.reason }),
          ...(request.data === undefined ? {} : { data: request.data }),
        },
        { principal: { actor: context.actor, roles: { [ANY_PROJECT]: ['admin'] } }, need: 'write', occurredAt: new Date().toISOString() },
        { idempotencyKey: context.idempotencyKey, correlationId: context.correlationId },
      ),
    );
    return toEntityDto(outcome.state);
  };
}
