/**
 * Decider tests as given / when / then (STYLE.md, after Emmett's DeciderSpecification):
 *   const { given } = deciderSpec(decider);
 *   given(events).when(command).then(expectedEvents | { error: 'guard_failed', message });
 * Expected events match partially (omit metadata, say), expected errors by code and, if given,
 * message and details. `then` returns what was decided and the state after it, for more checks;
 * `accepted()` does the same for set-up steps that only need to succeed.
 */
import type { Decider, DomainEvent } from '../decider';
import { DomainError, type ErrorCode } from '../errors';

export interface ExpectedError {
  error: ErrorCode;
  message?: string | RegExp;
  details?: Record<string, unknown>;
}

export interface Outcome<E, S> {
  events: E[];
  /** The state with the decided events folded in (the state before, for an error). */
  state: S;
}

export function deciderSpec<C, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  const fold = (state: S, events: readonly E[]) => events.reduce((s, e) => decider.evolve(s, e), state);
  return {
    given(events: readonly E[] = []) {
      const before = fold(decider.initialState(), events);
      return {
        when(command: C) {
          const result = decider.decide(command, before);
          return {
            /** For setting up: the command must be accepted, whatever it decides. */
            accepted(): Outcome<E, S> {
              if (result instanceof DomainError) throw new Error(`expected acceptance, got ${result.code}: ${result.message}`);
              return { events: result, state: fold(before, result) };
            },
            then(expected: ReadonlyArray<unknown> | ExpectedError): Outcome<E, S> {
              if (Array.isArray(expected)) {
                if (result instanceof DomainError) {
                  throw new Error(`expected events, got ${result.code}: ${result.message} ${JSON.stringify(result.details)}`);
                }
                expect(result).toMatchObject(expected as unknown[]);
                return { events: result, state: fold(before, result) };
              }
              const error = expected as ExpectedError;
              if (!(result instanceof DomainError)) {
                throw new Error(`expected ${error.error}, got events ${JSON.stringify((result as E[]).map((e) => e.type))}`);
              }
              expect({ code: result.code, message: result.message }).toEqual({
                code: error.error,
                message: error.message instanceof RegExp ? expect.stringMatching(error.message) : (error.message ?? result.message),
              });
              if (error.details) expect(result.details).toMatchObject(error.details);
              return { events: [], state: before };
            },
          };
        },
      };
    },
  };
}
