import { expectStrictlyIncreasing, newEvents, readAllMatching, type ConformanceContext } from './support';

export function readingCases(t: ConformanceContext): void {
  it('reads a stream forwards and backwards from the middle with maxCount', async () => {
    const store = await t.open();
    const stream = `${t.prefix('middle')}1`;
    await store.append(stream, newEvents(10));
    const revisions = async (options: Parameters<typeof store.readStream>[1]) =>
      (await store.readStream(stream, options)).map((e) => e.revision);

    expect(await revisions({ fromRevision: 3, maxCount: 4 })).toEqual([3, 4, 5, 6]);
    expect(await revisions({ fromRevision: 7 })).toEqual([7, 8, 9]);
    expect(await revisions({ fromRevision: 8, maxCount: 5 })).toEqual([8, 9]);
    expect(await revisions({ fromRevision: 10 })).toEqual([]);
    expect(await revisions({ direction: 'backwards', fromRevision: 6, maxCount: 3 })).toEqual([6, 5, 4]);
    expect(await revisions({ direction: 'backwards', maxCount: 2 })).toEqual([9, 8]);
    expect(await revisions({ direction: 'backwards', fromRevision: 1 })).toEqual([1, 0]);
    expect(await revisions({ direction: 'backwards', fromRevision: 50, maxCount: 1 })).toEqual([9]);
    expect(await revisions({ maxCount: 0 })).toEqual([]);
  });

  it('reads the global log in pages from the middle', async () => {
    const store = await t.open();
    const p = t.prefix('pages');
    const start = await store.headPosition();
    for (let i = 0; i < 30; i += 1) await store.append(`${p}${i % 3}`, [{ type: 'Paged', data: { i } }]);
    const all = await readAllMatching(store, { after: start, streamPrefix: p });
    const middle = all[9].position;

    const first = await store.readAll({ after: middle, maxCount: 7, streamPrefix: p });
    const rest = await readAllMatching(store, { after: first.nextAfter, streamPrefix: p, pageSize: 4 });

    expect(all.map((e) => e.data)).toEqual(Array.from({ length: 30 }, (_, i) => ({ i })));
    expectStrictlyIncreasing(all.map((e) => e.position));
    expect(first.events.map((e) => e.data)).toEqual(Array.from({ length: 7 }, (_, i) => ({ i: i + 10 })));
    expect(first.isEnd).toBe(false);
    expect(first.nextAfter).toBe(first.events[6].position);
    expect(rest.map((e) => e.data)).toEqual(Array.from({ length: 13 }, (_, i) => ({ i: i + 17 })));
    const end = await store.readAll({ after: all[29].position, streamPrefix: p });
    expect(end).toEqual({ events: [], nextAfter: await store.headPosition(), isEnd: true });
  });

  it('filters the global log by event type and by stream prefix', async () => {
    const store = await t.open();
    const p = t.prefix('filter');
    const start = await store.headPosition();
    await store.append(`${p}issue-1`, [
      { type: 'IssueOpened', data: { n: 1 } },
      { type: 'IssueClosed', data: { n: 2 } },
    ]);
    await store.append(`${p}sprint-1`, [{ type: 'SprintStarted', data: { n: 3 } }]);
    await store.append(`${p}issue-2`, [{ type: 'IssueOpened', data: { n: 4 } }]);
    await store.append(`${p}Issue-3`, [{ type: 'IssueOpened', data: { n: 5 } }]);
    await store.append(`${p}issue_4`, [{ type: 'IssueOpened', data: { n: 6 } }]);
    const numbers = async (filter: { eventTypes?: string[]; streamPrefix?: string }) =>
      (await readAllMatching(store, { after: start, streamPrefix: p, ...filter, pageSize: 2 })).map((e) => (e.data as { n: number }).n);

    expect(await numbers({})).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await numbers({ eventTypes: ['IssueOpened'] })).toEqual([1, 4, 5, 6]);
    expect(await numbers({ eventTypes: ['IssueClosed', 'SprintStarted'] })).toEqual([2, 3]);
    expect(await numbers({ eventTypes: [] })).toEqual([]);
    // A prefix is literal and case-sensitive: no wildcards, 'issue-' matches neither 'Issue-3' nor 'issue_4'.
    expect(await numbers({ streamPrefix: `${p}issue-` })).toEqual([1, 2, 4]);
    expect(await numbers({ streamPrefix: `${p}issue-`, eventTypes: ['IssueOpened'] })).toEqual([1, 4]);
    expect(await numbers({ streamPrefix: `${p}issue%` })).toEqual([]);
  });

  it('a log reader reads the same pages as readAll, asked for ahead, up to the head at each read', async () => {
    const store = await t.open();
    const p = t.prefix('reader');
    const start = await store.headPosition();
    for (let i = 0; i < 25; i += 1) await store.append(`${p}${i % 2 ? 'odd' : 'even'}`, [{ type: i % 5 === 0 ? 'Fifth' : 'Other', data: { i } }]);
    const reader = store.openLogReader();
    try {
      for (const filter of [{ streamPrefix: p }, { streamPrefix: `${p}odd` }, { streamPrefix: p, eventTypes: ['Fifth'] }]) {
        const expected: unknown[] = [];
        for (let after = start; ; ) {
          const page = await store.readAll({ after, maxCount: 4, ...filter });
          expected.push(page);
          if (page.isEnd) break;
          after = page.nextAfter;
        }
        // Each page is asked for before the previous one is looked at, as a rebuild does.
        const read: unknown[] = [];
        let next = reader.readAll({ after: start, maxCount: 4, ...filter });
        for (;;) {
          const page = await next;
          if (!page.isEnd) next = reader.readAll({ after: page.nextAfter, maxCount: 4, ...filter });
          read.push(page);
          if (page.isEnd) break;
        }
        expect(read).toEqual(expected);
        expect(read.length).toBeGreaterThan(1);
      }
      const head = await store.headPosition();
      expect(await reader.readAll({ after: head })).toEqual({ events: [], nextAfter: head, isEnd: true });
      // An append made after the reader opened is read once it is committed.
      await store.append(`${p}late`, [{ type: 'Late', data: { late: true } }]);
      const late = await reader.readAll({ after: head, streamPrefix: `${p}late` });
      expect(late.events.map((e) => e.data)).toEqual([{ late: true }]);
      expect(late.nextAfter).toBe(await store.headPosition());
    } finally {
      await reader.close();
    }
    await expect(reader.readAll({ after: start })).rejects.toThrow(/closed/);
  });
}
