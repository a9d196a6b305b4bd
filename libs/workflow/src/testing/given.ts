/**
 * given / when / then for the execution decider:
 *   given(workflow, ...commands or events).when(command).then(events | error)
 * `given` accepts commands too (each is decided and folded), so a test states history the way it
 * happened rather than spelling out every event.
 */
import { isDomainError, type DomainError } from '@trellis/domain';
import { compileWorkflow, type CompileOptions, type CompiledWorkflow } from '../definition';
import {
  executionDecider,
  foldExecution,
  type ExecutionCommand,
  type ExecutionEvent,
  type ExecutionState,
} from '../execution';

export const T0 = '2024-01-01T00:00:00.000Z';

/** Compiles YAML or throws with every problem, for tests that need a valid workflow. */
export function workflow(yaml: string, options?: CompileOptions): CompiledWorkflow {
  const outcome = compileWorkflow(yaml, options);
  if (!outcome.ok) throw new Error(`invalid test workflow:\n${outcome.problems.map((p) => `${p.line}: ${p.path}: ${p.message}`).join('\n')}`);
  return outcome.workflow;
}

type Command = ExecutionCommand extends infer C ? (C extends ExecutionCommand ? Omit<C, 'now'> & { now?: string } : never) : never;
type History = Command | ExecutionEvent;

const isCommand = (h: History): h is Command =>
  ['StartExecution', 'StartTaskRun', 'CompleteTaskRun', 'FailTaskRun', 'FireTimer', 'AnswerInquiry', 'PauseExecution',
    'ResumeExecution', 'CancelExecution', 'RetryExecution'].includes(h.type);

export function withNow(command: Command): ExecutionCommand {
  return { now: T0, ...command } as ExecutionCommand;
}

export interface Then {
  events: ExecutionEvent[];
  state: ExecutionState;
  /** Exactly these events. */
  then(expected: ExecutionEvent[]): Then;
  /** Exactly these event types, in order. */
  thenTypes(types: string[]): Then;
  /** These events (data matched partially) appear in this order, possibly among others. */
  thenIncludes(expected: Array<{ type: string; data?: Record<string, unknown> }>): Then;
  /** Nothing is appended. */
  thenNothing(): Then;
}

export interface GivenDecider {
  state: ExecutionState;
  history: ExecutionEvent[];
  when(command: Command): Then & { thenError(code: string, message?: RegExp | string): DomainError };
}

export function given(wf: CompiledWorkflow, ...history: History[]): GivenDecider {
  const decider = executionDecider(wf);
  const events: ExecutionEvent[] = [];
  let state = decider.initialState();
  for (const item of history) {
    if (!isCommand(item)) {
      events.push(item);
      state = decider.evolve(state, item);
      continue;
    }
    const decided = decider.decide(withNow(item), state);
    if (isDomainError(decided)) throw new Error(`given ${item.type} was rejected: ${decided.message}`);
    events.push(...decided);
    state = foldExecution(decided, state);
  }
  return {
    state,
    history: events,
    when(command) {
      const decided = decider.decide(withNow(command), state);
      const outcome = isDomainError(decided) ? undefined : decided;
      const after = outcome ? foldExecution(outcome, state) : state;
      const expectEvents = () => {
        if (!outcome) throw new Error(`expected events, got error ${(decided as DomainError).code}: ${(decided as DomainError).message}`);
        return outcome;
      };
      const then: Then & { thenError(code: string, message?: RegExp | string): DomainError } = {
        get events() {
          return expectEvents();
        },
        state: after,
        then(expected) {
          expect(expectEvents()).toEqual(expected);
          return then;
        },
        thenTypes(types) {
          expect(expectEvents().map((e) => e.type)).toEqual(types);
          return then;
        },
        thenIncludes(expected) {
          const actual = expectEvents();
          let from = 0;
          for (const wanted of expected) {
            const index = actual.findIndex(
              (e, i) => i >= from && e.type === wanted.type && (!wanted.data || matches(e.data, wanted.data)),
            );
            if (index < 0) {
              throw new Error(`expected ${JSON.stringify(wanted)} after position ${from} in:\n${actual.map((e) => `${e.type} ${JSON.stringify(e.data)}`).join('\n')}`);
            }
            from = index + 1;
          }
          return then;
        },
        thenNothing() {
          expect(expectEvents()).toEqual([]);
          return then;
        },
        thenError(code, message) {
          if (!isDomainError(decided)) throw new Error(`expected error ${code}, got events ${decided.map((e) => e.type).join(', ')}`);
          expect(decided.code).toBe(code);
          if (message !== undefined) expect(decided.message).toMatch(message);
          return decided;
        },
      };
      return then;
    },
  };
}

function matches(actual: unknown, wanted: Record<string, unknown>): boolean {
  try {
    expect(actual).toMatchObject(wanted);
    return true;
  } catch {
    return false;
  }
}

/** Runs of the state by task, for assertions. */
export function runsOf(state: ExecutionState, task: string) {
  return Object.values(state.activations)
    .filter((a) => a.task === task)
    .flatMap((a) => a.runs.filter((r) => r !== null));
}
