import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from '../common/auth/auth.guard';
import { PrincipalResolver } from '../common/auth/principal';
import { IssueTokenHandler } from './commands/issue-token.handler';
import { TokenIndex } from './token-index';
import { TokensController } from './tokens.controller';
import { TokensService } from './tokens.service';

/** Who may call: bearer tokens, their grants, and the global guard that checks them. */
@Module({
  controllers: [TokensController],
  providers: [
    TokenIndex,
    { provide: PrincipalResolver, useExisting: TokenIndex },
    { provide: APP_GUARD, useClass: AuthGuard },
    TokensService,
    IssueTokenHandler,
  ],
})
export class AccessModule {}
