/**
 * An execution's state folded from its stream with the decider's own fold, for readers that need
 * the state as of the stream now (GET /executions/{id}/diagram). The run view GET /executions/{id}
 * shows is the workflow-executions read model's (projections/workflow-executions).
 */
import type { RecordedEvent } from '@trellis/eventstore';
import { evolve, initialState, type ExecutionEvent, type ExecutionState } from '@trellis/workflow';

export function foldState(events: readonly RecordedEvent[]): ExecutionState {
  return events.reduce((state, e) => evolve(state, { type: e.type, data: e.data } as ExecutionEvent), initialState());
}
