/**
 * What workers ask: claim runs (starting their attempts), and report on a claimed attempt. The
 * handlers hand them to the runtime's worker queue, which decides them on the execution streams.
 */
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ClaimedRun } from '@trellis/runtime';
import { WorkflowRuntimeHost } from '../../workflows/runtime/workflow-runtime.host';

export class ClaimRunsCommand extends Command<ClaimedRun[]> {
  constructor(
    readonly request: { worker: string; actions: string[]; max?: number; leaseMs?: number; waitMs?: number },
    readonly actor: string,
    readonly signal: AbortSignal,
  ) {
    super();
  }
}

export type RunReport = { kind: 'heartbeat' } | { kind: 'complete'; result?: unknown } | { kind: 'fail'; error?: unknown };

export class ReportRunCommand extends Command<unknown> {
  constructor(
    readonly runId: string,
    readonly fencingToken: number,
    readonly report: RunReport,
    readonly actor: string,
  ) {
    super();
  }
}

@CommandHandler(ClaimRunsCommand)
export class ClaimRunsHandler implements ICommandHandler<ClaimRunsCommand> {
  constructor(private readonly host: WorkflowRuntimeHost) {}

  execute({ request, actor, signal }: ClaimRunsCommand): Promise<ClaimedRun[]> {
    return this.host.runtime.workers.claim({ ...request, actor, signal });
  }
}

@CommandHandler(ReportRunCommand)
export class ReportRunHandler implements ICommandHandler<ReportRunCommand> {
  constructor(private readonly host: WorkflowRuntimeHost) {}

  execute({ runId, fencingToken, report, actor }: ReportRunCommand): Promise<unknown> {
    const { workers } = this.host.runtime;
    switch (report.kind) {
      case 'heartbeat':
        return workers.heartbeat(runId, fencingToken);
      case 'complete':
        return workers.complete(runId, fencingToken, report.result, actor);
      case 'fail':
        return workers.fail(runId, fencingToken, report.error, actor);
    }
  }
}
