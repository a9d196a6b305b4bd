import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module';
import { WorkflowRuntimeModule } from '../workflows/runtime/workflow-runtime.module';
import { AnswerInquiryHandler, ControlExecutionHandler, StartExecutionHandler } from './commands/execution-handlers';
import { ExecutionsController } from './executions.controller';
import { ExecutionsService } from './executions.service';

/** Workflows at run time (API.md): start, list, read, control executions and answer their inquiries. */
@Module({
  imports: [WorkflowRuntimeModule, ProjectionsModule],
  controllers: [ExecutionsController],
  providers: [ExecutionsService, StartExecutionHandler, ControlExecutionHandler, AnswerInquiryHandler],
  exports: [ExecutionsService],
})
export class ExecutionsModule {}
