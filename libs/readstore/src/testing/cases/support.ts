import { defineCollection, type IndexValue, type ReadDocument } from '../../collection';
import type { FindQuery, FindResult } from '../../query';
import type { ReadOptions, ReadStore } from '../../read-store';
import type { CollectionDefinition } from '../../collection';

export interface ConformanceContext {
  canReopen: boolean;
  /** A fresh, empty store from the factory, closed after the test. */
  open(): Promise<ReadStore>;
  /** The factory's reopen; the reopened store is closed after the test too. */
  reopen(store: ReadStore): Promise<ReadStore>;
}

export const BOARD = 'conformance-board';
export const AUDIT = 'conformance-audit';

export interface Card extends ReadDocument {
  projectId: string;
  state: string;
  points?: number | null;
  blocked: boolean;
  assignee?: string | null;
  rank: string;
  title: string;
  tags?: string[];
  detail?: Record<string, unknown>;
}

export interface Column extends ReadDocument {
  projectId: string;
  wip: number;
}

export interface Entry extends ReadDocument {
  entity: string;
  position: number;
}

export const cards = defineCollection<Card>({
  projection: BOARD,
  name: 'cards',
  indexes: ['projectId', 'state', 'points', 'blocked', 'assignee', 'rank'],
});
export const columns = defineCollection<Column>({ projection: BOARD, name: 'columns', indexes: ['projectId'] });
export const entries = defineCollection<Entry>({ projection: AUDIT, name: 'entries', indexes: ['entity', 'position'] });

export const SORTABLE = ['id', ...cards.indexes] as (keyof Card & string)[];

const STATES = ['todo', 'doing', 'review', 'done', 'blocked'];
// Characters from every UTF-8 length (1-4 bytes), including ones whose UTF-16 order differs from
// their UTF-8 byte order (U+FF5E vs the astral 😀), so the expected order is only right if the
// store compares strings by bytes as documented.
const RANK_PARTS = ['a', 'B', 'z', 'é', 'ß', 'Ω', '中', '～', '😀', '𝕏', ' ', '0', '~'];
const ASSIGNEES = ['alice', 'bob', 'chloé', '李雷', null];

/** 250 cards with duplicates in every field, null and absent values, and non-ASCII text. */
export function deck(count = 250): Card[] {
  return Array.from({ length: count }, (_, i) => {
    const card: Card = {
      id: i % 25 === 0 ? `ü-card-${String(i).padStart(3, '0')}` : `card-${String(i).padStart(3, '0')}`,
      projectId: `p${i % 3}`,
      state: STATES[i % 5],
      blocked: i % 7 === 0,
      rank: `${RANK_PARTS[i % RANK_PARTS.length]}${RANK_PARTS[(i * 7) % RANK_PARTS.length]}${i % 4}`,
      title: `Card ${i} — ${RANK_PARTS[i % RANK_PARTS.length]}`,
      tags: i % 2 === 0 ? ['even', `t${i % 5}`] : [],
    };
    if (i % 11 !== 0) card.points = i % 11 === 1 ? null : (i * 37) % 13;
    if (i % 9 !== 0) card.assignee = ASSIGNEES[i % ASSIGNEES.length];
    if (i % 10 === 3) card.points = 2.5;
    return card;
  });
}

/** Null and absent are equal and first; strings by UTF-8 bytes; then ids by UTF-8 bytes. */
export function compareBy(field: string, direction: 'asc' | 'desc'): (a: ReadDocument, b: ReadDocument) => number {
  const sign = direction === 'asc' ? 1 : -1;
  return (a, b) => sign * (compareValues(valueOf(a, field), valueOf(b, field)) || compareValues(a.id, b.id));
}

function valueOf(document: ReadDocument, field: string): IndexValue {
  const value = (document as unknown as Record<string, IndexValue | undefined>)[field];
  return value === undefined ? null : value;
}

export function compareValues(a: IndexValue, b: IndexValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  throw new Error(`mixed types in one field: ${String(a)} / ${String(b)}`);
}

/** Every page of a query, checking that each but the last is full and that a cursor leads on. */
export async function readAllPages<T extends ReadDocument>(
  store: ReadStore,
  collection: CollectionDefinition<T>,
  query: FindQuery<T>,
  options: ReadOptions = {},
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let after = query.after ?? null;
  let pages = 0;
  for (;;) {
    const page: FindResult<T> = await store.find(collection, { ...query, after }, options);
    pages += 1;
    items.push(...page.items);
    if (page.nextCursor === null) return { items, pages };
    expect(page.items).toHaveLength(query.limit ?? 100);
    after = page.nextCursor;
    if (pages > 10_000) throw new Error('pagination does not end');
  }
}

export function ids(documents: readonly ReadDocument[]): string[] {
  return documents.map((document) => document.id);
}

/** Documents as stored, without the store's `_position`. */
export function withoutPosition<T extends ReadDocument>(document: T | null): T | null {
  if (document === null) return null;
  const { _position, ...rest } = document as T & { _position?: number };
  return rest as T;
}

/** What a JSON round trip makes of a value (undefined members dropped, and so on). */
export function asJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
