/**
 * The newest committed events of a single-writer store, kept in memory so that live subscribers
 * (projections, process managers, registries: a dozen per process, each woken by every commit)
 * read the tail of the log without a query and without parsing the same JSON a dozen times.
 *
 * It holds every event with a position in (coveredAfter, head]: the writer adds each commit's
 * events, in order, before it moves the head, and it is the only writer. A read that starts
 * before what is kept (a catch-up, a rebuild) is not answered here and goes to the database.
 * The events are parsed from the stored JSON and deep-frozen: one object is handed to every
 * subscriber, so none can change what another sees.
 */
import type { ReadAllOptions, ReadAllPage, RecordedEvent } from './event-store';
import { maxCountOf, readAllPage } from './read-rules';

export interface RecentEventsLimits {
  /** Events kept at most (default 10,000). */
  maxEvents?: number;
  /** Stored JSON characters kept at most (default 32 Mi), so that big payloads do not pile up. */
  maxChars?: number;
}

interface Kept {
  event: RecordedEvent;
  chars: number;
}

export class RecentEvents {
  private kept: Kept[] = [];
  /** Index of the oldest kept event in `kept` (older slots are dropped lazily). */
  private start = 0;
  private chars = 0;
  private coveredAfter: number;
  private readonly maxEvents: number;
  private readonly maxChars: number;

  constructor(head: number, limits: RecentEventsLimits = {}) {
    this.coveredAfter = head;
    this.maxEvents = limits.maxEvents ?? 10_000;
    this.maxChars = limits.maxChars ?? 32 * 2 ** 20;
  }

  /** The number of events held (for tests and diagnostics). */
  get size(): number {
    return this.kept.length - this.start;
  }

  /**
   * Adds one commit's events, oldest first, built from the JSON text that was stored. Must be
   * called for every commit, in commit order, before the head moves past it.
   */
  add(events: readonly { event: Omit<RecordedEvent, 'data' | 'metadata'>; dataJson: string; metadataJson: string }[]): void {
    for (const { event, dataJson, metadataJson } of events) {
      const recorded: RecordedEvent = {
        id: event.id,
        type: event.type,
        streamId: event.streamId,
        revision: event.revision,
        position: event.position,
        data: deepFreeze(JSON.parse(dataJson)),
        metadata: deepFreeze(JSON.parse(metadataJson)),
      };
      const chars = dataJson.length + metadataJson.length;
      this.kept.push({ event: Object.freeze(recorded), chars });
      this.chars += chars;
    }
    while (this.size > 0 && (this.size > this.maxEvents || this.chars > this.maxChars)) {
      const dropped = this.kept[this.start++];
      this.chars -= dropped.chars;
      this.coveredAfter = dropped.event.position;
    }
    if (this.start > 1024 && this.start * 2 > this.kept.length) {
      this.kept = this.kept.slice(this.start);
      this.start = 0;
    }
  }

  /** Forgets everything (e.g. after a commit whose events could not be recorded here). */
  reset(head: number): void {
    this.kept = [];
    this.start = 0;
    this.chars = 0;
    this.coveredAfter = head;
  }

  /**
   * A page of readAll answered from memory, or undefined when it starts before what is kept.
   * `head` must be the store's head, which the kept events reach.
   */
  page(options: ReadAllOptions, head: number): ReadAllPage | undefined {
    const after = options.after ?? 0;
    if (after < this.coveredAfter) return undefined;
    const limit = maxCountOf(options.maxCount);
    if (limit === 0) return readAllPage([], after, 0, head);
    const types = options.eventTypes ? new Set(options.eventTypes) : undefined;
    const prefix = options.streamPrefix;
    const events: RecordedEvent[] = [];
    for (let index = this.firstAfter(after); index < this.kept.length; index++) {
      const { event } = this.kept[index];
      if (types && !types.has(event.type)) continue;
      if (prefix !== undefined && !event.streamId.startsWith(prefix)) continue;
      events.push(event);
      if (limit !== undefined && events.length === limit) break;
    }
    return readAllPage(events, after, limit, head);
  }

  /** The index of the first kept event with a position after `after` (binary search). */
  private firstAfter(after: number): number {
    let low = this.start;
    let high = this.kept.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.kept[middle].event.position <= after) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
