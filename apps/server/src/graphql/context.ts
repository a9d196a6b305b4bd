/**
 * The GraphQL context and what resolvers take from it: the principal the global guard attached,
 * and the request (for its id, the correlation id of the events a mutation appends).
 */
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { DomainError } from '@trellis/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GraphqlCallContext } from '../common/auth/call';
import { principalOf, type Principal } from '../common/auth/principal';
import type { RequestOrigin } from '../entities/http/request-origin';

/** Queries and mutations over HTTP: the bearer header of the request. */
export function httpContext(request: FastifyRequest, _reply: FastifyReply): GraphqlCallContext {
  return { request, authorization: request.headers.authorization };
}

/**
 * Subscriptions over a websocket: the bearer token from the connection_init payload
 * (`{"authorization": "Bearer ..."}`), else from the upgrade request's header.
 */
export function connectionInit({ payload }: { payload?: unknown }): GraphqlCallContext | true {
  const given = payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
  const authorization = given.authorization ?? given.Authorization;
  return typeof authorization === 'string' ? { authorization } : true;
}

export function subscriptionContext(_connection: unknown, request: FastifyRequest): GraphqlCallContext {
  return { authorization: request.headers.authorization };
}

/** Who calls, as the guard established it. */
export const GqlOrigin = createParamDecorator((_data: unknown, context: ExecutionContext): RequestOrigin => {
  const ctx = GqlExecutionContext.create(context).getContext<GraphqlCallContext>();
  const principal = principalOf(ctx);
  if (!principal) throw new DomainError('unauthenticated', 'this request carries no credentials');
  return { principal, requestId: ctx.request?.id ?? 'graphql' };
});

export const GqlPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = principalOf(GqlExecutionContext.create(context).getContext<object>());
  if (!principal) throw new DomainError('unauthenticated', 'this request carries no credentials');
  return principal;
});
