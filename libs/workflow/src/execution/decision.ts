/**
 * One decision in progress: the events decided so far and the state they lead to. Every emitted
 * event is folded at once with the same `evolve` a replay uses, so later steps of the decision
 * see exactly the state the stream will hold.
 */
import type { CompiledWorkflow } from '../definition';
import type { EventData, ExecutionEvent, ExecutionEventType } from './events';
import { evolve } from './evolve';
import type { ExecutionState } from './state';

export class Decision {
  readonly events: ExecutionEvent[] = [];

  constructor(
    public state: ExecutionState,
    readonly workflow: CompiledWorkflow,
    readonly now: string,
  ) {}

  emit<T extends ExecutionEventType>(type: T, data: EventData<T>): void {
    const event = { type, data } as ExecutionEvent;
    this.events.push(event);
    this.state = evolve(this.state, event);
  }
}
