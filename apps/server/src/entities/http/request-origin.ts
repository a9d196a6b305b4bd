/**
 * Who sent a command request and how to recognise it again: the principal, the request id (the
 * correlation id of the events) and the optional `Idempotency-Key` header. A replay of a keyed
 * request appends nothing and answers as the first time did; the same key with another body is
 * a 409 idempotency_conflict (the command pipeline tells the two apart).
 */
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { DomainError } from '@trellis/domain';
import type { FastifyRequest } from 'fastify';
import { nameUuid } from '@trellis/runtime';
import type { Principal } from '../../common/auth/principal';
import { principalOf } from '../../common/auth/principal';

export interface RequestOrigin {
  principal: Principal;
  requestId: string;
  idempotencyKey?: string;
}

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

const KEY = /^[\x21-\x7e]{1,200}$/;

export const Origin = createParamDecorator((_data: unknown, context: ExecutionContext): RequestOrigin => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const principal = principalOf(request);
  if (!principal) throw new DomainError('unauthenticated', 'this request carries no credentials');
  const key = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (key !== undefined && (typeof key !== 'string' || !KEY.test(key))) {
    throw new DomainError('validation_failed', 'invalid Idempotency-Key header', {
      violations: [{ path: 'headers.idempotency-key', message: 'must be 1 to 200 visible ASCII characters' }],
    });
  }
  return { principal, requestId: request.id, ...(key === undefined ? {} : { idempotencyKey: key }) };
});

const ENTITY_ID_NAMESPACE = 'a3c1f2e4-7b8d-4e5f-9a0b-1c2d3e4f5a6b';

/**
 * Ids are made at the edge. A keyed creation derives its id from the key (and who sent it, and
 * where), so its replay addresses the same stream, where the pipeline recognises the key.
 */
export function newEntityId(origin: RequestOrigin, lifecycle: string, scope: string, fresh: () => string): string {
  if (!origin.idempotencyKey) return fresh();
  return nameUuid(`${origin.principal.actor}\n${lifecycle}\n${scope}\n${origin.idempotencyKey}`, ENTITY_ID_NAMESPACE);
}
