/**
 * The decider the engine hands to the command pipeline: the workflow's own execution decider,
 * plus — when `inline` is on — the pure built-ins (core.noop, core.echo, core.fail) carried out
 * inside the same decision. They have no side effects and take no time, so the engine does what
 * the simulator does with them: start each dispatched run, queue its outcome, and decide the
 * queued outcomes one by one in order, dispatching what each of them schedules. The events are
 * exactly those separate commands would have produced, but one decision lands as ONE append.
 */
import { DomainError, isDomainError, type Decider } from '@trellis/domain';
import {
  executionDecider,
  nextActions,
  PURE_BUILTINS,
  runPureBuiltin,
  type CompiledWorkflow,
  type CompleteTaskRun,
  type ExecutionCommand,
  type FailTaskRun,
  type StartTaskRun,
  type ExecutionEvent,
  type ExecutionState,
} from '@trellis/workflow';

/**
 * Decides only what is due without outside input — the pure built-ins (after a restart, or a
 * capped decision) — and lets the reactor look at the execution again. Process managers and the
 * startup recovery drive an execution with it, so their reaction is serialised with every other
 * command on the stream and never acts on a stale state.
 */
export interface Drive {
  type: 'Drive';
  now: string;
}

export type RunReport = Omit<StartTaskRun, 'now'> | Omit<CompleteTaskRun, 'now'> | Omit<FailTaskRun, 'now'>;

/**
 * Several reports decided in order as one decision (one append). A report that is stale or
 * repeated is skipped, and so is everything after a refused start of the same run (a run that
 * could not start — the execution paused meanwhile — must not end either).
 */
export interface ReportBatch {
  type: 'ReportBatch';
  now: string;
  commands: RunReport[];
}

export type EngineCommand = ExecutionCommand | Drive | ReportBatch;

export type DrivingDecider = Decider<EngineCommand, ExecutionEvent, ExecutionState>;

export interface DrivingOptions {
  inline: boolean;
  /** At most this many pure outcomes per decision, so one huge with-items cannot make one huge append. */
  maxInline?: number;
}

const DEFAULT_MAX_INLINE = 500;

export function drivingDecider(workflow: CompiledWorkflow, options: DrivingOptions): DrivingDecider {
  const inner = executionDecider(workflow);
  const max = options.maxInline ?? DEFAULT_MAX_INLINE;
  // The pipeline folds the decided events into the state the decision started from — which the
  // decision has just done: remember each event's before and after, and fold only on a miss.
  const folded = new WeakMap<ExecutionEvent, { from: ExecutionState; to: ExecutionState }>();
  return {
    initialState: inner.initialState,
    evolve(state, event) {
      const known = folded.get(event);
      return known?.from === state ? known.to : inner.evolve(state, event);
    },
    decide(command, state) {
      const decision = new Folding(inner, state, folded);
      if (command.type === 'ReportBatch') {
        const rejected = applyReports(decision, command);
        if (rejected) return rejected;
      } else if (command.type !== 'Drive') {
        const rejected = decision.apply(command);
        if (rejected) return rejected;
      }
      if (options.inline) runPureBuiltins(decision, command.now, max);
      return decision.events;
    },
  };
}

class Folding {
  readonly events: ExecutionEvent[] = [];

  constructor(
    private readonly inner: Decider<ExecutionCommand, ExecutionEvent, ExecutionState>,
    public state: ExecutionState,
    private readonly folded: WeakMap<ExecutionEvent, { from: ExecutionState; to: ExecutionState }>,
  ) {}

  apply(command: ExecutionCommand): DomainError | undefined {
    const decided = this.inner.decide(command, this.state);
    if (isDomainError(decided)) return decided;
    for (const event of decided) {
      const from = this.state;
      this.state = this.inner.evolve(from, event);
      this.folded.set(event, { from, to: this.state });
    }
    this.events.push(...decided);
    return undefined;
  }
}

function applyReports(decision: Folding, batch: ReportBatch): DomainError | undefined {
  const refused = new Set<string>();
  let first: DomainError | undefined;
  let accepted = 0;
  for (const report of batch.commands) {
    if (refused.has(report.runId)) continue;
    const rejected = decision.apply({ ...report, now: batch.now } as ExecutionCommand);
    if (!rejected) accepted++;
    else {
      first ??= rejected;
      if (report.type === 'StartTaskRun') refused.add(report.runId);
    }
  }
  return accepted === 0 ? first : undefined;
}

export const isPureBuiltin = (action: string) => PURE_BUILTINS.includes(action);

function runPureBuiltins(decision: Folding, now: string, max: number): void {
  const queue: ExecutionCommand[] = [];
  let decided = 0;
  const dispatch = () => {
    for (const run of nextActions(decision.state).dispatch) {
      if (!isPureBuiltin(run.action)) continue;
      const report = { runId: run.runId, fencingToken: run.fencingToken, now };
      if (decision.apply({ type: 'StartTaskRun', ...report, worker: 'engine' })) continue;
      const outcome = runPureBuiltin(run.action, run.input) ?? { result: null };
      queue.push('error' in outcome ? { type: 'FailTaskRun', ...report, error: outcome.error } : { type: 'CompleteTaskRun', ...report, result: outcome.result });
    }
  };
  dispatch();
  while (queue.length > 0) {
    decision.apply(queue.shift()!);
    // Past the cap nothing new starts; what started still ends here, so no run is left half-done.
    if (++decided < max) dispatch();
  }
}
