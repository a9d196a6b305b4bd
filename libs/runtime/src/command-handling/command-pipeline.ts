/**
 * The write side in one place: load the stream, fold it, decide, append with the revision that
 * was read, and on a concurrency conflict load and decide again. Correctness rests on the event
 * store's expected-revision check; the state cache saves re-reading old events, and on the
 * happy path the read altogether (see handleInOrder).
 */
import { randomUUID } from 'node:crypto';
import { EventStore, NewEvent, RecordedEvent, WrongExpectedVersionError } from '@trellis/eventstore';
import { Decider, DomainError, DomainEvent, isDomainError } from '@trellis/domain';
import type { CommandEnvelope, CommandOutcome } from './command';
import { deterministicEventId, requestHash } from './idempotency';
import { backoffDelay, DEFAULT_CONFLICT_RETRY, RetryPolicy, sleep } from './retry';
import { StateCache } from './state-cache';
import { KeyedLock } from './stream-lock';

export interface CommandPipelineOptions {
  conflictRetry?: RetryPolicy;
  /** How many folded streams to keep in memory; 0 disables the cache. */
  cacheSize?: number;
}

interface Loaded<S> {
  state: S;
  version: number;
  /** Idempotency key → request hash and the revisions its events occupy. */
  keys: Map<string, { hash: string; from: number; to: number }>;
}

export class CommandPipeline {
  private readonly retry: RetryPolicy;
  private readonly cache: StateCache<Loaded<unknown>>;
  private readonly streams = new KeyedLock();

  constructor(
    private readonly store: EventStore,
    options: CommandPipelineOptions = {},
  ) {
    this.retry = options.conflictRetry ?? DEFAULT_CONFLICT_RETRY;
    this.cache = new StateCache(options.cacheSize ?? 10_000);
  }

  handle<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: CommandEnvelope<C>,
  ): Promise<CommandOutcome<S>> {
    return this.streams.run(streamId, () => this.handleInOrder(decider, streamId, command));
  }

  private async handleInOrder<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: CommandEnvelope<C>,
  ): Promise<CommandOutcome<S>> {
    const fingerprint = command.idempotencyKey ? requestHash(command.data, command.expectedVersion) : '';
    // A cached fold is used without reading the stream first: the append's expected revision
    // proves it current. Whatever would answer without appending (a rejection, a version
    // mismatch, nothing to do) is decided again on a fresh read, since another process may have
    // appended since — only the append itself can vouch for the cache. A stream the caller says
    // is new is treated the same way, as an empty cached fold.
    let trustCache = true;
    for (let attempt = 0; ; ) {
      let cached: Loaded<S> | undefined;
      if (trustCache) cached = (this.cache.get(streamId) as Loaded<S> | undefined) ?? (command.newStream ? emptyStream(decider) : undefined);
      const loaded = cached ?? (await this.loadWithKeys(decider, streamId));
      const recheck = () => {
        trustCache = false;
        return cached !== undefined;
      };

      if (command.idempotencyKey) {
        const prior = loaded.keys.get(command.idempotencyKey);
        if (prior) return this.replayOutcome(streamId, loaded, prior, fingerprint, command.idempotencyKey);
      }
      if (command.expectedVersion !== undefined && command.expectedVersion !== loaded.version) {
        if (recheck()) continue;
        throw new DomainError('version_conflict', `expected version ${command.expectedVersion}, but it is ${loaded.version}`, {
          expected: command.expectedVersion,
          actual: loaded.version,
        });
      }

      const decided = decider.decide(command.data, loaded.state);
      if (isDomainError(decided) || decided.length === 0) {
        if (recheck()) continue;
        if (isDomainError(decided)) throw decided;
        return { streamId, state: loaded.state, version: loaded.version, events: [], duplicate: false };
      }

      const toAppend = this.stamp(streamId, command, decided, fingerprint);
      try {
        const result = await this.store.append(streamId, toAppend, {
          expectedRevision: loaded.version === 0 ? 'no_stream' : loaded.version - 1,
        });
        if (result.duplicate) {
          // A concurrent retry of this very command won the race: answer as it did.
          this.cache.delete(streamId);
          return this.handleInOrder(decider, streamId, { ...command, newStream: false });
        }
        const state = decided.reduce(decider.evolve, loaded.state);
        const version = result.revision + 1;
        const keys = new Map(loaded.keys);
        if (command.idempotencyKey) keys.set(command.idempotencyKey, { hash: fingerprint, from: loaded.version, to: result.revision });
        this.cache.set(streamId, { state, version, keys });
        return { streamId, state, version, events: result.events, duplicate: false };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        this.cache.delete(streamId);
        // A stale cache is not a race worth backing off for: read and decide again at once.
        if (recheck()) continue;
        if (attempt >= this.retry.retries) {
          throw new DomainError('version_conflict', `too many concurrent changes to ${streamId}; try again`, {
            streamId,
            attempts: attempt + 1,
          });
        }
        await sleep(backoffDelay(this.retry, attempt));
        attempt++;
      }
    }
  }

  /** The current state and version of a stream, folded from its events. */
  async load<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string): Promise<{ state: S; version: number }> {
    const { state, version } = await this.loadWithKeys(decider, streamId);
    return { state, version };
  }

  private async loadWithKeys<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string): Promise<Loaded<S>> {
    const cached = this.cache.get(streamId) as Loaded<S> | undefined;
    const base: Loaded<S> = cached ?? emptyStream(decider);
    // Read past the cached version: another writer may have appended since.
    const newer = await this.store.readStream(streamId, { fromRevision: base.version });
    if (newer.length === 0) return base;
    const loaded = foldInto(decider, base, newer);
    this.cache.set(streamId, loaded as Loaded<unknown>);
    return loaded;
  }

  private async replayOutcome<S>(
    streamId: string,
    loaded: Loaded<S>,
    prior: { hash: string; from: number; to: number },
    fingerprint: string,
    key: string,
  ): Promise<CommandOutcome<S>> {
    if (prior.hash !== fingerprint) {
      throw new DomainError('idempotency_conflict', `idempotency key ${key} was already used for a different request`, { idempotencyKey: key });
    }
    const events = await this.store.readStream(streamId, { fromRevision: prior.from, maxCount: prior.to - prior.from + 1 });
    return { streamId, state: loaded.state, version: loaded.version, events, duplicate: true };
  }

  private stamp<C>(streamId: string, command: CommandEnvelope<C>, events: DomainEvent[], fingerprint: string): NewEvent[] {
    const correlationId = command.correlationId ?? randomUUID();
    return events.map((event, index) => ({
      id: command.idempotencyKey ? deterministicEventId(streamId, command.idempotencyKey, index) : randomUUID(),
      type: event.type,
      data: event.data,
      metadata: {
        actor: command.actor,
        correlationId,
        causationId: command.causationId ?? null,
        occurredAt: command.occurredAt,
        schemaVersion: 1,
        ...(command.idempotencyKey ? { idempotencyKey: command.idempotencyKey, requestHash: fingerprint } : {}),
      },
    }));
  }
}

/** A stream taken to be new: nothing read, nothing folded. */
function emptyStream<C, E extends DomainEvent, S>(decider: Decider<C, E, S>): Loaded<S> {
  return { state: decider.initialState(), version: 0, keys: new Map() };
}

function foldInto<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, base: Loaded<S>, events: RecordedEvent[]): Loaded<S> {
  let state = base.state;
  const keys = new Map(base.keys);
  for (const event of events) {
    state = decider.evolve(state, { type: event.type, data: event.data } as E);
    const key = event.metadata.idempotencyKey;
    if (key) {
      const seen = keys.get(key);
      const hash = String(event.metadata.requestHash ?? '');
      keys.set(key, seen && seen.to === event.revision - 1 ? { ...seen, to: event.revision } : { hash, from: event.revision, to: event.revision });
    }
  }
  return { state, version: base.version + events.length, keys };
}
