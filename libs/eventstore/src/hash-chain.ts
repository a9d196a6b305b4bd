/**
 * The per-stream SHA-256 hash chain every adapter writes into event metadata, and the check
 * auditors run over what they read back:
 *
 *   hash = sha256(prevHash + canonicalJson({ id, type, streamId, revision, data, metadata }))
 *
 * where metadata excludes prevHash/hash and prevHash is '' for a stream's first event. The global
 * position is not hashed: it is assigned by the database at commit, after the hash is known.
 */
import { hash, randomUUID } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { EventMetadata, EventMetadataFields, NewEvent, RecordedEvent } from './event-store';

export { canonicalJson } from './canonical-json';

/** The last event of a stream as the chain sees it. */
export interface StreamHead {
  revision: number;
  hash: string;
}

/** An event ready to be written: everything but the global position, plus its stored JSON. */
export interface StampedEvent {
  event: Omit<RecordedEvent, 'position'>;
  /** Canonical JSON of `data` (the text that was hashed, so it is stored as is). */
  dataJson: string;
  /** JSON of the full metadata, prevHash and hash included. */
  metadataJson: string;
}

export type ChainBreakReason =
  /** The stored hash is not the hash of the event's content. */
  | 'hash_mismatch'
  /** prevHash does not name the previous event of the stream. */
  | 'prev_hash_mismatch'
  /** A revision is missing or repeated between two events of the stream. */
  | 'revision_gap'
  /** The stream's first event (revision 0) claims a predecessor. */
  | 'first_prev_hash';

export type ChainVerification =
  | { ok: true; count: number }
  | { ok: false; brokenAt: ChainBreak };

export interface ChainBreak {
  streamId: string;
  revision: number;
  position: number;
  reason: ChainBreakReason;
}

const KNOWN_METADATA = new Set(['actor', 'correlationId', 'causationId', 'occurredAt', 'schemaVersion', 'prevHash', 'hash']);

/**
 * Turns a batch of new events into stamped events that continue the stream after `head`
 * (undefined for a new stream). Ids and metadata defaults are filled in here so that every
 * adapter stores the same envelope.
 */
export function stampEvents(
  streamId: string,
  head: StreamHead | undefined,
  events: readonly NewEvent[],
  now: string = new Date().toISOString(),
): StampedEvent[] {
  let prevHash = head?.hash ?? '';
  let revision = head?.revision ?? -1;
  return events.map((input) => {
    revision += 1;
    const id = input.id ?? randomUUID();
    const given = input.metadata ?? {};
    const content: EventMetadataFields & { [extra: string]: unknown } = {
      actor: given.actor ?? 'system',
      correlationId: given.correlationId ?? id,
      causationId: given.causationId ?? null,
      occurredAt: given.occurredAt ?? now,
      schemaVersion: given.schemaVersion ?? 1,
    };
    for (const [name, value] of Object.entries(given)) {
      if (!KNOWN_METADATA.has(name) && value !== undefined) content[name] = value;
    }
    const dataJson = canonicalJson(input.data);
    const hash = sha256(prevHash + hashBody(id, input.type, streamId, revision, dataJson, canonicalJson(content)));
    const metadata: EventMetadata = { ...content, prevHash, hash };
    prevHash = hash;
    return {
      event: { id, type: input.type, streamId, revision, data: input.data, metadata },
      dataJson,
      metadataJson: quote(metadata),
    };
  });
}

/** Recomputes an event's hash from its content and its stored prevHash. */
export function computeEventHash(event: Omit<RecordedEvent, 'position'>): string {
  const { prevHash, hash: _hash, ...content } = event.metadata;
  const body = hashBody(event.id, event.type, event.streamId, event.revision, canonicalJson(event.data), canonicalJson(content));
  return sha256(prevHash + body);
}

/**
 * Checks hash chains one event at a time, so a whole log can be verified page by page in memory
 * proportional to the number of streams. Events of a stream must arrive in revision order (as
 * readStream forwards and readAll return them). A stream whose first event seen is not revision 0
 * is checked from that event on: its prevHash is taken as given.
 */
export class ChainVerifier {
  private readonly last = new Map<string, { revision: number; hash: string }>();
  private checked = 0;

  /** The first break found in `event`, or undefined when it continues its chain. */
  check(event: RecordedEvent): ChainBreak | undefined {
    const { streamId, revision, position } = event;
    const broken = (reason: ChainBreakReason): ChainBreak => ({ streamId, revision, position, reason });
    const previous = this.last.get(streamId);
    if (previous) {
      if (revision !== previous.revision + 1) return broken('revision_gap');
      if (event.metadata.prevHash !== previous.hash) return broken('prev_hash_mismatch');
    } else if (revision === 0 && event.metadata.prevHash !== '') {
      return broken('first_prev_hash');
    }
    if (computeEventHash(event) !== event.metadata.hash) return broken('hash_mismatch');
    this.last.set(streamId, { revision, hash: event.metadata.hash });
    this.checked += 1;
    return undefined;
  }

  get count(): number {
    return this.checked;
  }

  get streams(): number {
    return this.last.size;
  }
}

/** Checks the chains of the streams in `events` (see ChainVerifier for the order required). */
export function verifyChain(events: readonly RecordedEvent[]): ChainVerification {
  const verifier = new ChainVerifier();
  for (const event of events) {
    const brokenAt = verifier.check(event);
    if (brokenAt) return { ok: false, brokenAt };
  }
  return { ok: true, count: events.length };
}

// Keys written in sorted order, so this is exactly canonicalJson of the whole object, built from
// parts that were already serialized (the data is serialized once, for hashing and storing).
function hashBody(id: string, type: string, streamId: string, revision: number, dataJson: string, metadataJson: string) {
  return (
    `{"data":${dataJson},"id":${quote(id)},"metadata":${metadataJson},` +
    `"revision":${revision},"streamId":${quote(streamId)},"type":${quote(type)}}`
  );
}

// Read once: global lookups are slow inside jest's vm sandbox (see canonical-json.ts).
const quote = JSON.stringify;

// The one-shot form: no Hash object per event (each is a native object the young-generation
// collector has to finalise; under load they were half of those it processed per collection).
function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}
