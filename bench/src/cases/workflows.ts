/**
 * Workflow executions on the embedded default (group `workflow`): executions/s for a 10-task
 * sequence and a 10-way fan-out + join of built-in actions, and start→succeeded latency at 1, 4,
 * 8 and 16 concurrent executions. Two engine settings are measured:
 *   inline      pure built-ins (noop/echo/fail) are decided inside the decision that schedules
 *               them, as the simulator does: an execution of pure built-ins is one append;
 *   dispatched  every built-in run is a command of its own (start + outcome in one append), so
 *               a 10-task sequence is 11 decisions — the path an external or I/O action takes.
 * The ratio is the durable events/s the case wrote against the raw single-row insert rate.
 */
import { join } from 'node:path';
import { SqliteEventStore } from '@trellis/eventstore';
import { CommandPipeline, TERMINAL_STATUSES, WorkflowRuntime } from '@trellis/runtime';
import { round, runClosedLoop, type Latency, type Throughput } from '../measure';
import type { Reporter } from '../report';

const SEQUENCE = `ref: bench.sequence
output: "{{ tasks.t10.result }}"
tasks:
${Array.from({ length: 10 }, (_, i) => `  t${i + 1}: {action: ${i % 2 ? 'core.echo' : 'core.noop'}, input: {step: ${i + 1}}${i < 9 ? `, on_success: t${i + 2}` : ''}}`).join('\n')}
`;

const FAN_OUT = `ref: bench.fanout
tasks:
  split: {action: core.noop, next: [{do: [${Array.from({ length: 10 }, (_, i) => `b${i}`).join(', ')}]}]}
${Array.from({ length: 10 }, (_, i) => `  b${i}: {action: core.echo, input: {branch: ${i}}, on_success: merge}`).join('\n')}
  merge: {action: core.noop, join: all}
`;

export interface WorkflowSizes {
  /** Executions per throughput case. */
  executions: number;
  /** Executions per latency case. */
  latency: number;
}

type Mode = 'inline' | 'dispatched';

export async function workflowCases(reporter: Reporter, dir: string, rawSingle: number, sizes: WorkflowSizes): Promise<void> {
  for (const mode of ['inline', 'dispatched'] as const) {
    const bench = await WorkflowBench.open(join(dir, `workflows-${mode}.db`), mode);
    try {
      for (const [workflow, label] of [
        ['bench.sequence', '10-task sequence'],
        ['bench.fanout', '10-way fan-out + join'],
      ] as const) {
        await reporter.run(`workflow (${mode}): ${label}, 64 in flight`, sizes.executions, async (progress) => {
          const run = await bench.measure(workflow, sizes.executions, 64, progress);
          return { group: 'workflow', ...run.figures, ...bench.ratio(run, rawSingle), target: workflow === 'bench.sequence' ? '≥ 200 executions/s' : undefined };
        });
      }
      for (const concurrency of [1, 4, 8, 16]) {
        await reporter.run(`workflow (${mode}): 10-task sequence start→succeeded, ${concurrency} concurrent`, sizes.latency, async (progress) => {
          const run = await bench.measure('bench.sequence', sizes.latency, concurrency, progress);
          return { group: 'workflow', ...run.figures, ...bench.ratio(run, rawSingle) };
        });
      }
    } finally {
      await bench.close();
    }
  }
}

interface Run {
  figures: { throughput: Throughput; latency: Latency };
  events: number;
  commits: number;
  appends: number;
}

class WorkflowBench {
  private readonly waiting = new Map<string, () => void>();

  private constructor(
    private readonly store: SqliteEventStore,
    private readonly runtime: WorkflowRuntime,
  ) {
    runtime.engine.onOutcome((executionId, outcome) => {
      if (TERMINAL_STATUSES.includes(outcome.state.status)) this.waiting.get(executionId)?.();
    });
  }

  static async open(file: string, mode: Mode): Promise<WorkflowBench> {
    const store = SqliteEventStore.open({ file });
    const pipeline = new CommandPipeline(store);
    const runtime = new WorkflowRuntime({ store, pipeline, inlinePureBuiltins: mode === 'inline' });
    await runtime.start();
    const meta = { actor: 'bench', occurredAt: new Date().toISOString() };
    await runtime.registry.register('bench.sequence', SEQUENCE, meta);
    await runtime.registry.register('bench.fanout', FAN_OUT, meta);
    return new WorkflowBench(store, runtime);
  }

  /** Starts `total` executions, `concurrency` at a time, each measured from start to succeeded. */
  async measure(workflow: string, total: number, concurrency: number, progress: (done: number) => void): Promise<Run> {
    const before = { ...this.store.stats };
    const figures = await runClosedLoop(total, concurrency, () => this.execute(workflow), progress);
    const after = this.store.stats;
    return { figures, events: after.events - before.events, commits: after.commits - before.commits, appends: after.appends - before.appends };
  }

  ratio(run: Run, rawSingle: number) {
    const perExecution = run.events / run.figures.throughput.operations;
    const eventsPerSecond = run.events / run.figures.throughput.seconds;
    return {
      ratio: round(eventsPerSecond / rawSingle),
      ratioTo: 'raw single-row (events/s)',
      notes: `${round(perExecution, 1)} events and ${round(run.appends / run.figures.throughput.operations, 1)} appends per execution; ${Math.round(eventsPerSecond)} events/s in ${run.commits} commits (${round(run.appends / Math.max(1, run.commits), 1)} appends per commit)`,
    };
  }

  async close(): Promise<void> {
    await this.runtime.stop();
    await this.store.close();
  }

  private async execute(workflow: string): Promise<void> {
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const { executionId, outcome } = await this.runtime.engine.start({ workflow, actor: 'bench' });
    if (TERMINAL_STATUSES.includes(outcome.state.status)) return;
    this.waiting.set(executionId, resolve);
    // The outcome that ended it may have landed before the waiter was set.
    if (TERMINAL_STATUSES.includes(this.runtime.index.get(executionId)?.status ?? 'running')) resolve();
    await done;
    this.waiting.delete(executionId);
    const status = this.runtime.index.get(executionId)?.status;
    if (status !== 'succeeded') throw new Error(`execution ${executionId} of ${workflow} ended ${status}`);
  }
}
