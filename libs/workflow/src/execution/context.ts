/**
 * The names an expression sees at run time (WORKFLOWS.md, Expressions): parameters, vars,
 * tasks.<name> (its latest activation), system; plus the hidden outcome and item that
 * result()/item() and friends read.
 */
import { ITEM_KEY, OUTCOME_KEY, type Outcome } from '../definition';
import { taskView, type ActivationState, type ExecutionState, type TaskView } from './state';

type Context = Record<string, unknown>;
const cache = new WeakMap<ExecutionState, Context>();
// An activation that did not change keeps its view, and so its CEL conversion (see toCel).
const views = new WeakMap<ActivationState, TaskView>();

function viewOf(activation: ActivationState): TaskView {
  let view = views.get(activation);
  if (!view) views.set(activation, (view = taskView(activation)));
  return view;
}

function baseContext(state: ExecutionState): Context {
  let context = cache.get(state);
  if (!context) {
    const tasks: Record<string, TaskView> = {};
    for (const [name, counters] of Object.entries(state.tasks)) {
      const latest = state.activations[`${name}.${counters.latest}`];
      if (latest) tasks[name] = viewOf(latest);
    }
    context = {
      parameters: state.parameters,
      vars: state.vars,
      tasks,
      system: {
        execution_id: state.executionId,
        workflow: state.workflow,
        version: state.version,
        actor: state.actor,
        started_at: state.startedAt,
      },
    };
    cache.set(state, context);
  }
  return context;
}

export interface ContextExtras {
  vars?: Record<string, unknown>;
  outcome?: Outcome;
  item?: { value: unknown; index: number };
}

export function expressionContext(state: ExecutionState, extras: ContextExtras = {}): Context {
  const base = baseContext(state);
  if (!extras.vars && !extras.outcome && !extras.item) return base;
  return { ...base, vars: extras.vars ?? base.vars, [OUTCOME_KEY]: extras.outcome, [ITEM_KEY]: extras.item };
}
