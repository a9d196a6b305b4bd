import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { newToken } from '../config/admin-token';
import type { Principal } from '../common/auth/principal';
import { IssueTokenCommand } from './commands/issue-token.command';
import type { CreateTokenDto } from './dto/create-token.dto';
import type { IssuedTokenDto } from './dto/issued-token.dto';
import { hashToken } from './token-index';

@Injectable()
export class TokensService {
  constructor(private readonly commands: CommandBus) {}

  /** The token is made here, at the edge, so the decider and the store only ever see its hash. */
  async issue(request: CreateTokenDto, issuer: Principal, requestId: string): Promise<IssuedTokenDto> {
    const token = newToken();
    await this.commands.execute(
      new IssueTokenCommand(
        { tokenId: randomUUID(), actor: request.actor, roles: request.roles, tokenHash: hashToken(token) },
        issuer.actor,
        new Date().toISOString(),
        requestId,
      ),
    );
    return { token, actor: request.actor, roles: request.roles };
  }
}
