import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { DomainError } from '@trellis/domain';
import { Principal, principalOf } from './principal';

/** The authenticated principal `{actor, roles}` of the request. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = principalOf(context.switchToHttp().getRequest<object>());
  // Only reachable on a @Public route, where asking for the actor is a programming error.
  if (!principal) throw new DomainError('unauthenticated', 'this request carries no credentials');
  return principal;
});
