/**
 * Runs the process managers (libs/runtime) as durable subscribers: started once the application
 * has booted, stopped before it shuts down (their checkpoints are saved on stop). Each reaction
 * goes through the command bus like any request, as the system acting for the event's actor,
 * with an idempotency key derived from the event, so a redelivered event changes nothing.
 */
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { isDomainError } from '@trellis/domain';
import { ANY_PROJECT } from '@trellis/domain/access';
import { EventStore, type RecordedEvent } from '@trellis/eventstore';
import { CheckpointStore, DurableSubscriber, sprintScopeProcessManager, type ProcessManager, type Reaction } from '@trellis/runtime';
import { ExecuteEntityCommand } from '../entities/commands/execute-entity-command.command';

export const PROCESS_MANAGERS: readonly ProcessManager[] = [sprintScopeProcessManager];

const SETTLE_POLL_MS = 5;

@Injectable()
export class ProcessManagersService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ProcessManagers');
  private readonly subscribers: DurableSubscriber[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly commands: CommandBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const pm of PROCESS_MANAGERS) {
      const subscriber = new DurableSubscriber(this.store, this.checkpoints, {
        name: pm.name,
        eventTypes: pm.eventTypes,
        handle: (event) => this.handle(pm, event),
        onError: (error, event) => this.logger.error({ msg: 'process manager failed; retrying', processManager: pm.name, eventId: event?.id, err: error }),
      });
      await subscriber.start();
      this.subscribers.push(subscriber);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.subscribers.splice(0).map((subscriber) => subscriber.stop()));
  }

  /**
   * Resolves once every process manager has handled everything in the log, including what its
   * own reactions appended (for tests and tools that need the consequences of a command).
   */
  async settled(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const head = await this.store.headPosition();
      if (this.subscribers.every((s) => s.position >= head) && (await this.store.headPosition()) === head) return;
      if (Date.now() > deadline) throw new Error(`process managers did not reach position ${head} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
  }

  private async handle(pm: ProcessManager, event: RecordedEvent): Promise<void> {
    for (const reaction of pm.react(event)) await this.send(reaction, event);
  }

  private async send(reaction: Reaction, event: RecordedEvent): Promise<void> {
    try {
      await this.commands.execute(
        new ExecuteEntityCommand(
          reaction.streamId,
          reaction.command,
          // The event's time, not the clock: a redelivery sends the very same command.
          { principal: { actor: event.metadata.actor, roles: { [ANY_PROJECT]: ['admin'] } }, need: 'write', occurredAt: event.metadata.occurredAt },
          { idempotencyKey: reaction.idempotencyKey, correlationId: event.metadata.correlationId, causationId: event.id },
        ),
      );
    } catch (error) {
      if (isDomainError(error) && reaction.tolerate.includes(error.code)) return;
      throw error;
    }
  }
}
