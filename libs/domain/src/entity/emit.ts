/** Events as a command makes them: typed by the entity, stamped with the command's actor and time. */
import type { CompiledLifecycle } from '@trellis/lifecycle';
import type { CommandContext } from './commands';
import type { EntityEventData, EntityEventOf, EntityFact } from './events';

export type Emit = <F extends EntityFact>(fact: F, data: EntityEventData[F]) => EntityEventOf<F>;

export function emitter(lifecycle: CompiledLifecycle, command: CommandContext): Emit {
  return (fact, data) => ({
    type: `${lifecycle.entityType}${fact}`,
    data,
    metadata: { actor: command.actor, occurredAt: command.occurredAt },
  });
}

/** Optional members are left out rather than stored as undefined, so events compare and hash cleanly. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
