import { randomUUID } from 'node:crypto';
import { canonicalJson, computeEventHash, stampEvents, verifyChain } from './hash-chain';

describe('canonicalJson', () => {
  it('sorts keys at every depth and otherwise writes what JSON.stringify writes', () => {
    const value = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, e: 'é😀\n' };

    expect(canonicalJson(value)).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1,"e":"é😀\\n"}');
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it("follows JSON.stringify's rules for undefined, toJSON, non-finite numbers and boxed values", () => {
    const value = {
      skipped: undefined,
      fn: () => 1,
      list: [undefined, () => 1, NaN, Infinity, -0],
      when: new Date('2026-01-01T00:00:00.000Z'),
      boxed: [new Number(1), new String('s'), new Boolean(false)],
    };

    expect(canonicalJson(value)).toBe(
      '{"boxed":[1,"s",false],"list":[null,null,null,null,0],"when":"2026-01-01T00:00:00.000Z"}',
    );
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('is stable across a JSON round trip and rejects what JSON cannot hold', () => {
    const value = { n: 1e21, small: 5e-324, big: Number.MAX_SAFE_INTEGER, s: '\u2028\ud800' };
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;

    expect(canonicalJson(JSON.parse(canonicalJson(value)))).toBe(canonicalJson(value));
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});

describe('stampEvents', () => {
  it('continues the chain after the head and fills ids and metadata defaults', () => {
    const id = randomUUID();
    const [first, second] = stampEvents(
      'issue-1',
      { revision: 4, hash: 'a'.repeat(64) },
      [
        { id, type: 'IssueOpened', data: { b: 2, a: 1 }, metadata: { actor: 'alice', idempotencyKey: undefined } },
        { type: 'IssueClosed', data: null },
      ],
      '2026-05-06T07:08:09.000Z',
    );

    expect(first.event).toMatchObject({ id, streamId: 'issue-1', revision: 5 });
    expect(first.event.metadata).toEqual({
      actor: 'alice',
      correlationId: id,
      causationId: null,
      occurredAt: '2026-05-06T07:08:09.000Z',
      schemaVersion: 1,
      prevHash: 'a'.repeat(64),
      hash: computeEventHash(first.event),
    });
    expect(first.dataJson).toBe('{"a":1,"b":2}');
    expect(JSON.parse(first.metadataJson)).toEqual(first.event.metadata);
    expect(second.event.revision).toBe(6);
    expect(second.event.metadata.prevHash).toBe(first.event.metadata.hash);
    expect(second.event.metadata.correlationId).toBe(second.event.id);
  });

  it('hashes the content, so the same content after the same head hashes the same', () => {
    const id = randomUUID();
    const stamp = (data: unknown) =>
      stampEvents('s', undefined, [{ id, type: 'T', data }], '2026-01-01T00:00:00.000Z')[0].event.metadata.hash;

    expect(stamp({ a: 1, b: 2 })).toBe(stamp({ b: 2, a: 1 }));
    expect(stamp({ a: 1, b: 2 })).not.toBe(stamp({ a: 1, b: 3 }));
    const events = stampEvents('s', undefined, [{ type: 'T', data: 1 }, { type: 'T', data: 2 }]).map((s, i) => ({
      ...s.event,
      position: i + 1,
    }));
    expect(verifyChain(events)).toEqual({ ok: true, count: 2 });
  });
});
