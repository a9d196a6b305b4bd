/**
 * Access tokens as an aggregate: stream `token-<tokenId>`. Only the SHA-256 of a token is ever
 * recorded; the token itself is shown once, to whoever issued it, and never stored.
 */
import { Decider } from '../decider';
import { DomainError } from '../errors';
import { RoleGrants, roleGrantViolations, Violation } from './roles';

export const tokenStreamId = (tokenId: string): string => `token-${tokenId}`;

export interface IssueToken {
  type: 'IssueToken';
  tokenId: string;
  actor: string;
  roles: RoleGrants;
  /** Lower-case hex SHA-256 of the token. */
  tokenHash: string;
}

export type TokenCommand = IssueToken;

export interface TokenIssued {
  type: 'TokenIssued';
  data: { tokenId: string; actor: string; roles: RoleGrants; tokenHash: string };
}

export type TokenEvent = TokenIssued;

export type TokenState = { status: 'none' } | { status: 'issued'; actor: string; roles: RoleGrants; tokenHash: string };

const SHA256_HEX = /^[0-9a-f]{64}$/;

function issueViolations(command: IssueToken): Violation[] {
  const violations: Violation[] = [];
  if (command.actor.trim() === '') violations.push({ path: 'actor', message: 'must not be empty' });
  if (!SHA256_HEX.test(command.tokenHash)) violations.push({ path: 'tokenHash', message: 'must be a hex SHA-256 digest' });
  for (const v of roleGrantViolations(command.roles)) violations.push({ path: v.path ? `roles.${v.path}` : 'roles', message: v.message });
  return violations;
}

export const tokenDecider: Decider<TokenCommand, TokenEvent, TokenState> = {
  initialState: () => ({ status: 'none' }),

  evolve: (_state, event) => {
    switch (event.type) {
      case 'TokenIssued':
        return { status: 'issued', actor: event.data.actor, roles: event.data.roles, tokenHash: event.data.tokenHash };
    }
  },

  decide: (command, state) => {
    switch (command.type) {
      case 'IssueToken': {
        if (state.status !== 'none') {
          return new DomainError('invalid_transition', `token ${command.tokenId} is already issued`, { state: state.status, allowed: [] });
        }
        const violations = issueViolations(command);
        if (violations.length > 0) return new DomainError('validation_failed', 'the token cannot be issued', { violations });
        const { tokenId, actor, roles, tokenHash } = command;
        return [{ type: 'TokenIssued', data: { tokenId, actor, roles, tokenHash } }];
      }
    }
  },
};
