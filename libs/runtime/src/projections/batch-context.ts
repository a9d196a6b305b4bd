/**
 * The documents a batch reads and writes, before the batch is committed. A projection reading a
 * document sees the writes of the earlier events of the same batch, and a write is judged by the
 * same position rule the store applies (skipped when the document already recorded that position
 * or a later one), so what the projection reads always matches what the store will hold.
 */
import type { RecordedEvent } from '@trellis/eventstore';
import type { CollectionDefinition, ReadDocument, ReadStore, Stored, WriteOp } from '@trellis/readstore';
import type { DocumentKey, ProjectionContext } from './projection';

type Doc = Stored<ReadDocument>;

/** A write as staged: stamped with its position. */
type Staged = WriteOp & { readonly position: number };

interface Entry {
  /** False until read from the store; writes made meanwhile wait in `blind`. */
  loaded: boolean;
  doc: Doc | null;
  /** The position the document recorded last (null: none known). */
  position: number | null;
  blind: Staged[];
}

/** A document a batch changed, for change notifications; `document` is undefined when never read. */
export interface ChangedDocument {
  collection: string;
  id: string;
  document: Doc | null | undefined;
}

const IN_LIMIT = 1000;

export class BatchContext implements ProjectionContext {
  /**
   * Documents read in this batch, and the writes made to them. Built on the first read only: a
   * projection that writes blind (one new document per event) pays for no bookkeeping at all.
   */
  private entries: Map<string, Entry> | null = null;
  private readonly writes: Staged[] = [];
  /** For each write, the event that made it: a write the store refuses names its event. */
  private readonly origins: RecordedEvent[] = [];

  constructor(
    private readonly store: ReadStore,
    private readonly generation: number,
  ) {}

  async get<T extends ReadDocument>(collection: CollectionDefinition<T>, id: string): Promise<Stored<T> | null> {
    const key = keyOf(collection, id);
    const entry = this.index().get(key);
    if (entry?.loaded) return entry.doc as Stored<T> | null;
    const stored = await this.store.get(collection, id, { generation: this.generation });
    return this.load(key, stored as Doc | null).doc as Stored<T> | null;
  }

  /** Reads the documents of `keys` that are not known yet, with one query per collection and 1,000 ids. */
  async prefetch(keys: readonly DocumentKey[]): Promise<void> {
    const entries = this.index();
    const byCollection = new Map<CollectionDefinition, Set<string>>();
    for (const { collection, id } of keys) {
      if (entries.get(keyOf(collection, id))?.loaded) continue;
      let ids = byCollection.get(collection);
      if (!ids) byCollection.set(collection, (ids = new Set()));
      ids.add(id);
    }
    for (const [collection, idSet] of byCollection) {
      const ids = [...idSet];
      for (let from = 0; from < ids.length; from += IN_LIMIT) {
        const chunk = ids.slice(from, from + IN_LIMIT);
        const found = await this.store.find(collection, { where: { id: { in: chunk } }, limit: IN_LIMIT }, { generation: this.generation });
        const byId = new Map(found.items.map((doc) => [doc.id, doc as Doc]));
        for (const id of chunk) this.load(keyOf(collection, id), byId.get(id) ?? null);
      }
    }
  }

  /** Records the writes one event made; `event.position` is their position unless they carry one. */
  stage(ops: readonly WriteOp[], event: RecordedEvent): void {
    for (const op of ops) {
      const staged = (op.position === undefined ? { ...op, position: event.position } : op) as Staged;
      if (this.entries && !this.track(staged)) continue;
      this.writes.push(staged);
      this.origins.push(event);
    }
  }

  /** The writes to commit, in the order they were made (the store folds several per document). */
  pendingWrites(): readonly WriteOp[] {
    return this.writes;
  }

  /** The event that made the `index`-th pending write. */
  originOf(index: number): RecordedEvent | undefined {
    return this.origins[index];
  }

  /**
   * The documents the batch changed, as they stand after it: known when read, or when last
   * written whole (an upsert or a delete); undefined after a blind patch.
   */
  changes(): ChangedDocument[] {
    const entries = this.index();
    const changed = new Map<string, ChangedDocument>();
    for (const op of this.writes) {
      const { position } = op;
      const id = idOf(op);
      const key = keyOf(op.collection, id);
      const entry = entries.get(key);
      const blind = op.type === 'upsert' ? { ...op.document, _position: position } : op.type === 'delete' ? null : undefined;
      changed.set(key, { collection: op.collection.name, id, document: entry?.loaded ? entry.doc : blind });
    }
    return [...changed.values()];
  }

  /** The per-document bookkeeping, built from the writes so far the first time it is needed. */
  private index(): Map<string, Entry> {
    if (this.entries) return this.entries;
    this.entries = new Map();
    for (const staged of this.writes) this.track(staged);
    return this.entries;
  }

  /** Books one write; false when the document is known and the store would skip the write. */
  private track(staged: Staged): boolean {
    const entries = this.entries!;
    const key = keyOf(staged.collection, idOf(staged));
    let entry = entries.get(key);
    if (!entry) entries.set(key, (entry = { loaded: false, doc: null, position: null, blind: [] }));
    if (!entry.loaded) {
      entry.blind.push(staged);
      return true;
    }
    return fold(entry, staged);
  }

  private load(key: string, stored: Doc | null): Entry {
    const previous = this.entries!.get(key);
    const entry: Entry = { loaded: true, doc: stored, position: stored?._position ?? null, blind: [] };
    for (const staged of previous?.blind ?? []) fold(entry, staged);
    this.entries!.set(key, entry);
    return entry;
  }
}
/** Applies one write to a known document, as the store would; false when the store would skip it. */
function fold(entry: Entry, op: Staged): boolean {
  const { position } = op;
  if (entry.position !== null && entry.position >= position) return false;
  switch (op.type) {
    case 'upsert':
      entry.doc = { ...op.document, _position: position };
      break;
    case 'patch':
      if (entry.doc === null) return false;
      entry.doc = { ...entry.doc, ...op.fields, id: entry.doc.id, _position: position };
      break;
    case 'delete':
      entry.doc = null;
      break;
  }
  entry.position = position;
  return true;
}

function idOf(op: WriteOp): string {
  return op.type === 'upsert' ? op.document.id : op.id;
}

const keyOf = (collection: CollectionDefinition, id: string) => `${collection.name}\u0000${id}`;
