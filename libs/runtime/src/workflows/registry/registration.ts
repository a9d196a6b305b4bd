/**
 * Definitions are versioned streams (DESIGN.md, Event model): each accepted registration is one
 * event whose version is its place in the stream (1, 2, ...). Registering the very source of the
 * latest version again changes nothing, so loading the shipped examples at every start is safe.
 * One decider shape serves workflows (`workflow-<ref>`) and templates (`template-<name>`).
 */
import { DomainError, type Decider } from '@trellis/domain';

export interface Register<Extra> {
  type: 'Register';
  name: string;
  source: string;
  /** What the check of the source derived and the event keeps (e.g. child workflow refs). */
  extra: Extra;
}

export interface Registered<Data> {
  type: string;
  data: Data;
}

export interface RegistrationState {
  version: number;
  source?: string;
}

export type RegistrationDecider<Extra, Data> = Decider<Register<Extra>, Registered<Data>, RegistrationState>;

/**
 * `check` validates a source for the version it would become; it answers the event data or a
 * DomainError. It runs only for a changed source.
 */
export function registrationDecider<Extra, Data extends { version: number; source: string }>(
  eventType: string,
  check: (command: Register<Extra>, version: number) => Data | DomainError,
): RegistrationDecider<Extra, Data> {
  return {
    initialState: () => ({ version: 0 }),
    evolve: (_state, event) => ({ version: event.data.version, source: event.data.source }),
    decide(command, state) {
      if (state.source === command.source) return [];
      const data = check(command, state.version + 1);
      if (data instanceof DomainError) return data;
      return [{ type: eventType, data }];
    },
  };
}
