/**
 * Global guard: every route and GraphQL field needs `Authorization: Bearer <token>` unless marked
 * @Public; a @Roles / @ProjectRoles requirement is checked against the token's grants.
 */
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@trellis/domain';
import { ANY_PROJECT } from '@trellis/domain/access';
import { callOf } from './call';
import { attachPrincipal, PrincipalResolver } from './principal';
import { IS_PUBLIC } from './public.decorator';
import { assertRole, REQUIRED_ROLES, RoleRequirement } from './roles.decorator';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly principals: PrincipalResolver,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const call = callOf(context);
    const header = call.authorization;
    if (!header) throw new DomainError('unauthenticated', 'missing Authorization: Bearer <token> header');
    const token = BEARER.exec(header)?.[1];
    const principal = token === undefined ? undefined : this.principals.resolve(token);
    if (!principal) throw new DomainError('unauthenticated', 'invalid bearer token');
    for (const holder of call.holders) attachPrincipal(holder, principal);

    const requirement = this.reflector.getAllAndOverride<RoleRequirement | undefined>(REQUIRED_ROLES, targets);
    if (requirement) {
      const param = requirement.projectParam ? call.params[requirement.projectParam] : undefined;
      const project = typeof param === 'string' ? param : ANY_PROJECT;
      assertRole(principal, project, requirement.roles);
    }
    return true;
  }
}
