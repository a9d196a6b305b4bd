/**
 * The workflow runtime (libs/runtime) as a Nest provider: built from the backend's store,
 * pipeline and checkpoints and the configured secrets; started once the application has booted
 * (definitions loaded, running executions resumed) and stopped before it shuts down, while the
 * store is still open.
 */
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EventStore } from '@trellis/eventstore';
import { CheckpointStore, CommandPipeline, WorkflowRuntime } from '@trellis/runtime';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { entityTransitioner } from './entity-transitioner';
import { readShippedWorkflows } from './shipped-workflows';

@Injectable()
export class WorkflowRuntimeHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Workflows');
  readonly runtime: WorkflowRuntime;

  constructor(
    store: EventStore,
    pipeline: CommandPipeline,
    checkpoints: CheckpointStore,
    commands: CommandBus,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.runtime = new WorkflowRuntime({
      store,
      pipeline,
      checkpoints,
      secrets: { ...config.secrets },
      transitioner: entityTransitioner(commands),
      examples: readShippedWorkflows(),
      logger: {
        warn: (message) => this.logger.warn(message),
        error: (message) => this.logger.error(message),
        log: (message) => this.logger.log(message),
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}
