import { defineCollection, type ReadDocument } from '../../collection';
import { GenerationConflictError, ReadStoreValidationError } from '../../errors';
import { asJson, cards, deck, withoutPosition, type Card, type ConformanceContext } from './support';

type Loose = ReadDocument & Record<string, unknown>;
const loose = defineCollection<Loose>({ projection: 'conformance-board', name: 'loose', indexes: ['label'] });

const UNICODE = {
  greek: 'Αλφα βήτα',
  cjk: '漢字かなカナ한국어',
  rtl: 'مرحبا שלום',
  emoji: '👩🏽‍💻🚀✨ flags: 🇫🇷🇯🇵',
  combining: 'e\u0301 n\u0303 Å',
  escapes: 'quote " backslash \\ tab \t newline \n nul \u0000 line-sep \u2028 dollar $x dot a.b',
  astral: '𝕋𝕣𝕖𝕝𝕝𝕚𝕤 𐍈',
  keys: { 'clé': 1, 'ключ': 2, '键': [3, { '🔑': true }], 'a.b': 'dotted', '$x': 'dollar' },
};

export function documentCases(t: ConformanceContext): void {
  it('creates, reads, replaces and deletes a document', async () => {
    const store = await t.open();
    const [card, other] = deck(2);

    expect(await store.get(cards, card.id)).toBeNull();
    expect(await store.upsert(cards, card)).toBe(true);
    expect(await store.upsert(cards, other)).toBe(true);
    expect(await store.get(cards, card.id)).toEqual(asJson(card));

    const replacement: Card = { id: card.id, projectId: 'p9', state: 'done', blocked: false, rank: 'r', title: 'replaced' };
    expect(await store.upsert(cards, replacement)).toBe(true);
    // A replacement drops the fields it does not have.
    expect(await store.get(cards, card.id)).toEqual(replacement);

    expect(await store.delete(cards, card.id)).toBe(true);
    expect(await store.get(cards, card.id)).toBeNull();
    expect(await store.delete(cards, card.id)).toBe(false);
    expect(await store.get(cards, other.id)).toEqual(asJson(other));
    expect(await store.count(cards)).toBe(1);
  });

  it('patches top-level fields by shallow merge and leaves a missing document missing', async () => {
    const store = await t.open();
    const card: Card = { ...deck(1)[0], detail: { a: 1, nested: { b: 2 } }, assignee: 'alice' };
    await store.upsert(cards, card);

    expect(await store.patch(cards, card.id, { state: 'done', detail: { c: 3 }, assignee: null })).toBe(true);

    // detail is replaced as a whole, not merged; null is a value, not a removal.
    expect(await store.get(cards, card.id)).toEqual(asJson({ ...card, state: 'done', detail: { c: 3 }, assignee: null }));
    expect(await store.patch(cards, 'nobody', { state: 'done' })).toBe(false);
    expect(await store.get(cards, 'nobody')).toBeNull();
    // The patched value is what queries see.
    expect((await store.find(cards, { where: { state: 'done' } })).items.map((c) => c.id)).toEqual([card.id]);
  });

  it('refuses a patch that changes the id, and accepts one that repeats it', async () => {
    const store = await t.open();
    const card = deck(1)[0];
    await store.upsert(cards, card);

    await expect(store.patch(cards, card.id, { id: 'other', state: 'x' })).rejects.toBeInstanceOf(ReadStoreValidationError);
    expect(await store.patch(cards, card.id, { ...card, state: 'x' })).toBe(true);
    expect(await store.get(cards, card.id)).toEqual(asJson({ ...card, state: 'x' }));
    expect(await store.get(cards, 'other')).toBeNull();
  });

  it('refuses documents the backends could not store alike', async () => {
    const store = await t.open();
    const card = deck(1)[0];
    const invalid: unknown[] = [
      { ...card, id: '' },
      { ...card, id: 42 },
      { ...card, _id: 'x' },
      { ...card, $set: { a: 1 } },
      { ...card, points: { value: 3 } },
      { ...card, state: ['todo'] },
      { ...card, points: Number.NaN },
      [card],
    ];
    for (const document of invalid) {
      await expect(store.upsert(cards, document as Card)).rejects.toMatchObject({ code: 'validation_failed' });
    }
    expect(await store.count(cards)).toBe(0);
  });

  it('accepts back a document it returned, _position included, without keeping a stale _position', async () => {
    const store = await t.open();
    const card = deck(1)[0];
    await store.upsert(cards, card, { position: 7 });
    const stored = (await store.get(cards, card.id))!;
    expect(stored._position).toBe(7);

    expect(await store.upsert(cards, { ...stored, title: 'again' }, { position: 9 })).toBe(true);
    expect(await store.get(cards, card.id)).toEqual({ ...asJson(card), title: 'again', _position: 9 });
  });

  it('round-trips unicode in ids, values and nested keys, and matches unicode values exactly', async () => {
    const store = await t.open();
    const documents: Loose[] = Object.entries(UNICODE).map(([key, value]) => ({
      id: `${key}:${typeof value === 'string' ? value : '🔑'}`,
      label: typeof value === 'string' ? value : 'keys',
      value,
    }));
    for (const document of documents) await store.upsert(loose, document);

    for (const document of documents) {
      expect(await store.get(loose, document.id)).toEqual(document);
      const found = await store.find(loose, { where: { label: document.label as string } });
      expect(found.items).toEqual([document]);
    }
    // Composed and decomposed forms are different strings, and stay different.
    expect(await store.find(loose, { where: { label: 'e\u0301' } })).toEqual({ items: [], nextCursor: null });
    expect(await store.get(loose, documents[0].id.normalize('NFD'))).toBeNull();
  });

  it('round-trips large documents and JSON values of every kind', async () => {
    const store = await t.open();
    const big: Loose = {
      id: 'big',
      label: 'large',
      text: 'x'.repeat(1024 * 1024) + '✓',
      items: Array.from({ length: 10_000 }, (_, i) => ({ i, even: i % 2 === 0, name: `item ${i}` })),
      numbers: [0, -1, 1.5, -2.25e-7, 1e21, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER],
      empty: { object: {}, array: [], string: '' },
      nothing: null,
      deep: { a: { b: { c: { d: { e: [[[['deep']]]] } } } } },
    };
    await store.upsert(loose, big);
    expect(await store.get(loose, 'big')).toEqual(big);

    await store.patch(loose, 'big', { label: 'patched' });
    expect(await store.get(loose, 'big')).toEqual({ ...big, label: 'patched' });
    expect((await store.find(loose, { where: { label: 'patched' } })).items).toEqual([{ ...big, label: 'patched' }]);
  });

  it('stores what JSON would: undefined members dropped, dates as ISO strings', async () => {
    const store = await t.open();
    const document = { id: 'json', label: undefined, when: new Date('2026-03-04T05:06:07.089Z'), list: [1, undefined, 3] };
    await store.upsert(loose, document as unknown as Loose);
    expect(await store.get(loose, 'json')).toEqual({ id: 'json', when: '2026-03-04T05:06:07.089Z', list: [1, null, 3] });
  });

  it('keeps documents of one collection apart from another collection with the same ids', async () => {
    const store = await t.open();
    const card = deck(1)[0];
    await store.upsert(cards, card);
    await store.upsert(loose, { id: card.id, label: 'loose' });

    expect(withoutPosition(await store.get(cards, card.id))).toEqual(asJson(card));
    expect(await store.get(loose, card.id)).toEqual({ id: card.id, label: 'loose' });
    await store.delete(loose, card.id);
    expect(await store.get(cards, card.id)).not.toBeNull();
  });

  it('refuses a collection name that another projection already uses', async () => {
    const store = await t.open();
    const mine = defineCollection<Loose>({ projection: 'conformance-one', name: 'contested' });
    const theirs = defineCollection<Loose>({ projection: 'conformance-two', name: 'contested' });
    await store.upsert(mine, { id: 'a' });

    await expect(store.upsert(theirs, { id: 'b' })).rejects.toBeInstanceOf(GenerationConflictError);
    expect(await store.get(mine, 'a')).toEqual({ id: 'a' });
  });

  it('refuses invalid collection, projection and field names up front', () => {
    expect(() => defineCollection({ projection: 'Board', name: 'cards' })).toThrow(ReadStoreValidationError);
    expect(() => defineCollection({ projection: 'board', name: 'cards__g1' })).toThrow(ReadStoreValidationError);
    expect(() => defineCollection({ projection: 'board', name: '_meta' })).toThrow(ReadStoreValidationError);
    expect(() => defineCollection<Loose>({ projection: 'board', name: 'x', indexes: ['a.b'] })).toThrow(ReadStoreValidationError);
    expect(() => defineCollection<Loose>({ projection: 'board', name: 'x', indexes: ['id'] })).toThrow(ReadStoreValidationError);
    expect(() => defineCollection<Loose>({ projection: 'board', name: 'x', indexes: ['a', 'a'] })).toThrow(ReadStoreValidationError);
  });
}
