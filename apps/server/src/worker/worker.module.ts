import { Module } from '@nestjs/common';
import { WorkflowRuntimeModule } from '../workflows/runtime/workflow-runtime.module';
import { ClaimRunsHandler, ReportRunHandler } from './commands/worker-commands';
import { WorkerController } from './worker.controller';

/** External workers (API.md, Workers): claim with a lease and long-poll, heartbeat, complete, fail. */
@Module({
  imports: [WorkflowRuntimeModule],
  controllers: [WorkerController],
  providers: [ClaimRunsHandler, ReportRunHandler],
})
export class WorkerModule {}
