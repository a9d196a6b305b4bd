/**
 * What the guard needs from a call, over HTTP or GraphQL: the bearer header, the parameters a
 * role check may name (route parameters, or a GraphQL field's arguments), and where to leave the
 * principal for the handler. A GraphQL context carries `authorization` itself: taken from the
 * request's header for queries and mutations, from the `connection_init` payload (or the upgrade
 * request) for subscriptions over a websocket.
 */
import type { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';

export interface GraphqlCallContext {
  authorization?: string;
  request?: FastifyRequest;
}

export interface Call {
  authorization: string | undefined;
  params: Record<string, unknown>;
  /** Objects the principal is attached to (see attachPrincipal). */
  holders: object[];
}

export function callOf(context: ExecutionContext): Call {
  if (context.getType<GqlContextType>() === 'graphql') {
    const gql = GqlExecutionContext.create(context);
    const ctx = gql.getContext<GraphqlCallContext>();
    return { authorization: ctx.authorization, params: gql.getArgs<Record<string, unknown>>() ?? {}, holders: ctx.request ? [ctx, ctx.request] : [ctx] };
  }
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return { authorization: request.headers.authorization, params: (request.params ?? {}) as Record<string, unknown>, holders: [request] };
}
