import { DomainError } from '../errors';
import { RoleGrants } from './roles';
import { TokenCommand, tokenDecider, TokenEvent } from './token.decider';

// given(events).when(command) → the events decided or the error returned
const given = (events: TokenEvent[]) => ({
  when: (command: TokenCommand) => tokenDecider.decide(command, events.reduce(tokenDecider.evolve, tokenDecider.initialState())),
});

const HASH = 'a'.repeat(64);
const issue = (overrides: Partial<TokenCommand> = {}): TokenCommand => ({
  type: 'IssueToken',
  tokenId: 't1',
  actor: 'alice',
  roles: { p1: ['member'], '*': ['viewer'] },
  tokenHash: HASH,
  ...overrides,
});

describe('token decider', () => {
  it('issues a token, recording only its hash', () => {
    expect(given([]).when(issue())).toEqual([
      { type: 'TokenIssued', data: { tokenId: 't1', actor: 'alice', roles: { p1: ['member'], '*': ['viewer'] }, tokenHash: HASH } },
    ]);
  });

  it('refuses to issue the same token twice', () => {
    const issued = given([]).when(issue()) as TokenEvent[];
    const result = given(issued).when(issue());
    expect(result).toBeInstanceOf(DomainError);
    expect((result as DomainError).code).toBe('invalid_transition');
  });

  it('names every invalid part of the command', () => {
    const result = given([]).when(issue({ actor: ' ', tokenHash: 'secret', roles: { p1: ['boss', 'member'], p2: [] } as unknown as RoleGrants }));
    expect(result).toBeInstanceOf(DomainError);
    expect((result as DomainError).code).toBe('validation_failed');
    expect((result as DomainError).details.violations).toEqual([
      { path: 'actor', message: 'must not be empty' },
      { path: 'tokenHash', message: 'must be a hex SHA-256 digest' },
      { path: 'roles.p1.0', message: expect.stringContaining('unknown role "boss"') },
      { path: 'roles.p2', message: 'must be a non-empty list of roles' },
    ]);
  });
});
