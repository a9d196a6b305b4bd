/**
 * The decider: the whole contract of an aggregate. `decide` checks a command against the state
 * folded from the stream and answers with new events or a DomainError value; `evolve` folds one
 * event into the state. No I/O and no clocks: time arrives inside the command. `evolve` returns a
 * new state and never changes the one it is given: the command pipeline caches folded states.
 */
import type { DomainError } from './errors';

export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

export interface Decider<Command, Event extends DomainEvent, State> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[] | DomainError;
}
