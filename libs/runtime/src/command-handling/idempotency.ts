import { hash } from 'node:crypto';
import { canonicalJson } from '@trellis/eventstore';
import { nameUuid } from './name-uuid';

// A fixed namespace so the same (stream, key, index) always yields the same event id.
const EVENT_ID_NAMESPACE = '6f1d8e0c-54a4-4c55-9a38-2d1f3b7f6a10';

/**
 * Event ids derived from the idempotency key: a retried command produces the very same ids,
 * which the event store recognises as already stored even when two retries race.
 */
export function deterministicEventId(streamId: string, idempotencyKey: string, index: number): string {
  return nameUuid(`${streamId}\n${idempotencyKey}\n${index}`, EVENT_ID_NAMESPACE);
}

/** Fingerprint of what a command asked for, to tell a true retry from a reused key. */
export function requestHash(data: unknown, expectedVersion: number | undefined): string {
  return hash('sha256', canonicalJson({ data, expectedVersion: expectedVersion ?? null }), 'hex');
}
