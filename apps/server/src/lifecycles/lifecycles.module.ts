import { Module } from '@nestjs/common';
import { RegisterLifecycleHandler } from './commands/register-lifecycle.handler';
import { LifecycleRegistry } from './lifecycle-registry';
import { LifecyclesController } from './lifecycles.controller';
import { LifecyclesService } from './lifecycles.service';

/** Lifecycle definitions: registration over REST, the registry of compiled versions, diagrams. */
@Module({
  controllers: [LifecyclesController],
  providers: [LifecycleRegistry, LifecyclesService, RegisterLifecycleHandler],
  exports: [LifecycleRegistry, LifecyclesService],
})
export class LifecyclesModule {}
