import { Module } from '@nestjs/common';
import { ExecutionsModule } from '../executions/executions.module';
import { TemplatesModule } from '../templates/templates.module';
import { WorkerModule } from '../worker/worker.module';
import { RegisterWorkflowHandler } from './commands/register-workflow.handler';
import { WorkflowRuntimeModule } from './runtime/workflow-runtime.module';
import { WorkflowsController } from './workflows.controller';
import { WorkflowsService } from './workflows.service';

/** Workflows (WORKFLOWS.md): definitions, simulation, and — through the imported modules — executions, workers and templates. */
@Module({
  imports: [WorkflowRuntimeModule, ExecutionsModule, WorkerModule, TemplatesModule],
  controllers: [WorkflowsController],
  providers: [WorkflowsService, RegisterWorkflowHandler],
  exports: [WorkflowsService],
})
export class WorkflowsModule {}
