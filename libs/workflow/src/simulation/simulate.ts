/**
 * The in-memory driver (WORKFLOWS.md, Simulation): the same decider as real runs, fed with
 * scripted action results in simulated time. It works only from `nextActions` — what to dispatch,
 * which timers are armed, which inquiries and child executions wait — which is also what the
 * runtime drives from; pure built-ins (noop, echo, fail) run for real.
 */
import { isDomainError } from '@trellis/domain';
import { addDuration, type CompiledWorkflow } from '../definition';
import {
  executionDecider,
  nextActions,
  runPureBuiltin,
  type ExecutionCommand,
  type ExecutionDecider,
  type ExecutionEvent,
  type ExecutionState,
} from '../execution';
import { simulationReport, type SimulationReport, type TimedEvent } from './report';
import { Script } from './script';

export interface SimulationOptions {
  parameters?: Record<string, unknown>;
  results?: Record<string, unknown[]>;
  executionId?: string;
  actor?: string;
  startAt?: string;
  version?: number;
  /** Guards against a driver bug; runaway cycles are stopped by max_task_runs long before. */
  maxSteps?: number;
}

type Command = ExecutionCommand extends infer C ? (C extends ExecutionCommand ? Omit<C, 'now'> : never) : never;

interface Pending {
  at: string;
  seq: number;
  command: Command;
}

export class Simulation {
  readonly decider: ExecutionDecider;
  state: ExecutionState;
  now: string;
  readonly events: TimedEvent[] = [];
  readonly rejected: Array<{ at: string; command: Command; code: string; message: string }> = [];
  private readonly script: Script;
  private readonly pending: Pending[] = [];
  private readonly taken = new Set<string>();
  private seq = 0;

  constructor(
    readonly workflow: CompiledWorkflow,
    readonly options: SimulationOptions = {},
  ) {
    this.decider = executionDecider(workflow);
    this.state = this.decider.initialState();
    this.now = options.startAt ?? '2000-01-01T00:00:00.000Z';
    this.script = new Script(structuredClone(options.results ?? {}));
  }

  start(): this {
    this.send({
      type: 'StartExecution',
      executionId: this.options.executionId ?? 'sim',
      parameters: this.options.parameters ?? {},
      actor: this.options.actor ?? 'simulator',
      version: this.options.version ?? 1,
    });
    return this;
  }

  /** Decides one command at the current simulated time and folds its events. */
  send(command: Command): ExecutionEvent[] {
    const decided = this.decider.decide({ ...command, now: this.now } as ExecutionCommand, this.state);
    if (isDomainError(decided)) {
      this.rejected.push({ at: this.now, command, code: decided.code, message: decided.message });
      return [];
    }
    for (const event of decided) {
      this.state = this.decider.evolve(this.state, event);
      this.events.push({ at: this.now, ...event });
    }
    return decided;
  }

  /** Acts on what is due; false when nothing is left to happen. */
  step(): boolean {
    if (nextActions(this.state).done) return false;
    if (this.plan()) return true;
    const live = this.pending.filter((p) => p.command.type !== 'FireTimer' || this.state.timers[p.command.timerId]);
    if (live.length === 0) return false;
    live.sort((a, b) => a.at.localeCompare(b.at) || a.seq - b.seq);
    const next = live[0];
    this.pending.splice(this.pending.indexOf(next), 1);
    if (next.at > this.now) this.now = next.at;
    this.send(next.command);
    return true;
  }

  run(until?: (simulation: Simulation) => boolean): this {
    const max = this.options.maxSteps ?? 100_000;
    for (let steps = 0; steps < max; steps++) {
      if (until?.(this)) return this;
      if (!this.step()) return this;
    }
    throw new Error(`simulation did not settle within ${max} steps`);
  }

  /** More scripted results, e.g. before retrying a failed execution. */
  addResults(results: Record<string, unknown[]>): this {
    this.script.extend(results);
    return this;
  }

  report(): SimulationReport {
    return simulationReport(this.state, this.events, this.rejected);
  }

  /** Dispatches what is due and queues what will come back; true when it dispatched anything. */
  private plan(): boolean {
    const actions = nextActions(this.state);
    let dispatched = false;
    for (const run of actions.dispatch) {
      if (!this.once(`run:${run.runId}@${run.attempt}`)) continue;
      dispatched = true;
      this.send({ type: 'StartTaskRun', runId: run.runId, fencingToken: run.fencingToken, worker: 'simulator' });
      const step = this.script.next(run.task) ?? { outcome: runPureBuiltin(run.action, run.input) ?? { result: null }, afterMs: 0 };
      const at = addDuration(this.now, step.afterMs);
      this.queue(at, 'error' in step.outcome
        ? { type: 'FailTaskRun', runId: run.runId, fencingToken: run.fencingToken, error: step.outcome.error }
        : { type: 'CompleteTaskRun', runId: run.runId, fencingToken: run.fencingToken, result: step.outcome.result });
    }
    for (const child of actions.children) {
      if (!this.once(`child:${child.childExecutionId}:${child.runId}@${child.attempt}`)) continue;
      const step = this.script.next(child.task) ?? { outcome: { result: null }, afterMs: 0 };
      const at = addDuration(this.now, step.afterMs);
      const report = { runId: child.runId, fencingToken: child.attempt };
      this.queue(at, 'error' in step.outcome
        ? { type: 'FailTaskRun', ...report, error: step.outcome.error }
        : { type: 'CompleteTaskRun', ...report, result: step.outcome.result });
    }
    for (const inquiry of actions.inquiries) {
      if (this.taken.has(`inquiry:${inquiry.runId}@${inquiry.attempt}`)) continue;
      const step = this.script.next(inquiry.task);
      if (!step) continue;
      this.once(`inquiry:${inquiry.runId}@${inquiry.attempt}`);
      const answer = 'result' in step.outcome ? step.outcome.result : step.outcome.error;
      this.queue(addDuration(this.now, step.afterMs), {
        type: 'AnswerInquiry',
        task: inquiry.task,
        runId: inquiry.runId,
        answer,
        actor: 'simulator',
        roles: inquiry.roles,
      });
    }
    for (const timer of actions.timers) {
      if (this.once(`timer:${timer.timerId}`)) this.queue(timer.dueAt, { type: 'FireTimer', timerId: timer.timerId });
    }
    return dispatched;
  }

  private once(key: string): boolean {
    if (this.taken.has(key)) return false;
    this.taken.add(key);
    return true;
  }

  private queue(at: string, command: Command): void {
    this.pending.push({ at, seq: this.seq++, command });
  }
}

export function simulate(workflow: CompiledWorkflow, options: SimulationOptions = {}): SimulationReport {
  return new Simulation(workflow, options).start().run().report();
}
