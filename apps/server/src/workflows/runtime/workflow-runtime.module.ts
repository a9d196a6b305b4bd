import { Module } from '@nestjs/common';
import { WorkflowRuntimeHost } from './workflow-runtime.host';

/** One workflow runtime per process, shared by the workflow, execution, worker and template routes. */
@Module({ providers: [WorkflowRuntimeHost], exports: [WorkflowRuntimeHost] })
export class WorkflowRuntimeModule {}
