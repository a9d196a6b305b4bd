/** A tiny aggregate for exercising the command pipeline: a counter with a ceiling and a label. */
import { Decider, DomainError } from '@trellis/domain';

export type CounterCommand =
  | { type: 'increment'; by: number }
  | { type: 'relabel'; from: string; to: string };

export type CounterEvent =
  | { type: 'CounterIncremented'; data: { by: number } }
  | { type: 'CounterRelabeled'; data: { from: string; to: string } };

export interface CounterState {
  value: number;
  label: string;
}

export const CEILING = 1_000_000;

export const counterDecider: Decider<CounterCommand, CounterEvent, CounterState> = {
  initialState: () => ({ value: 0, label: 'new' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'CounterIncremented':
        return { ...state, value: state.value + event.data.by };
      case 'CounterRelabeled':
        return { ...state, label: event.data.to };
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'increment':
        if (state.value + command.by > CEILING) return new DomainError('guard_failed', 'the counter would pass its ceiling');
        return [{ type: 'CounterIncremented', data: { by: command.by } }];
      case 'relabel':
        // Only one of several concurrent relabels from the same label can succeed.
        if (state.label !== command.from) {
          return new DomainError('invalid_transition', `label is ${state.label}, not ${command.from}`, { state: state.label });
        }
        return [{ type: 'CounterRelabeled', data: { from: command.from, to: command.to } }];
    }
  },
};
