import { Command } from '@nestjs/cqrs';
import type { EntityState } from '@trellis/domain';
import type { CommandOutcome, EntityCommandData } from '@trellis/runtime';
import type { Authority } from '../access/entity-access';

export interface Delivery {
  idempotencyKey?: string;
  /** The API's `version` the caller last read (the number of events in the entity's stream). */
  expectedVersion?: number;
  correlationId?: string;
  causationId?: string;
  /** The stream's id was made up for this command: see CommandEnvelope.newStream. */
  newStream?: boolean;
}

/**
 * Every entity command — from a request or from a process manager — is one of these: one
 * generic decider serves every entity, so one handler does too.
 */
export class ExecuteEntityCommand extends Command<CommandOutcome<EntityState>> {
  constructor(
    readonly streamId: string,
    readonly command: EntityCommandData,
    readonly authority: Authority,
    readonly delivery: Delivery = {},
  ) {
    super();
  }
}
