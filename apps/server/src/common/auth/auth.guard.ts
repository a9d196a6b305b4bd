/**
 * Global guard: every route needs `Authorization: Bearer <token>` unless marked @Public; a
 * route's @Roles / @ProjectRoles requirement is checked against the token's grants.
 */
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@trellis/domain';
import { ANY_PROJECT } from '@trellis/domain/access';
import type { FastifyRequest } from 'fastify';
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

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    if (!header) throw new DomainError('unauthenticated', 'missing Authorization: Bearer <token> header');
    const token = BEARER.exec(header)?.[1];
    const principal = token === undefined ? undefined : this.principals.resolve(token);
    if (!principal) throw new DomainError('unauthenticated', 'invalid bearer token');
    attachPrincipal(request, principal);

    const requirement = this.reflector.getAllAndOverride<RoleRequirement | undefined>(REQUIRED_ROLES, targets);
    if (requirement) {
      const params = request.params as Record<string, string | undefined>;
      const project = requirement.projectParam ? (params[requirement.projectParam] ?? ANY_PROJECT) : ANY_PROJECT;
      assertRole(principal, project, requirement.roles);
    }
    return true;
  }
}
