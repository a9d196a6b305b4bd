import { RecentEvents } from './recent-events';

/** `count` stored rows at positions after `from`, alternating two types over two streams. */
function rows(from: number, count: number, dataChars = 10) {
  return Array.from({ length: count }, (_, i) => {
    const position = from + i + 1;
    return {
      event: { id: `e${position}`, type: position % 2 ? 'Odd' : 'Even', streamId: position % 3 ? 'issue-1' : 'sprint-1', revision: i, position },
      dataJson: JSON.stringify({ n: position, pad: 'x'.repeat(dataChars) }),
      metadataJson: JSON.stringify({ actor: 'a', nested: { position } }),
    };
  });
}

describe('RecentEvents', () => {
  it('answers pages after what it holds, with filters and limits, like the log would', () => {
    const recent = new RecentEvents(100);
    recent.add(rows(100, 20));
    const head = 120;

    const all = recent.page({ after: 100 }, head)!;
    expect(all.events.map((e) => e.position)).toEqual(Array.from({ length: 20 }, (_, i) => 101 + i));
    expect(all).toMatchObject({ nextAfter: 120, isEnd: true });
    expect(all.events[0].data).toEqual({ n: 101, pad: 'x'.repeat(10) });

    const limited = recent.page({ after: 105, maxCount: 3 }, head)!;
    expect(limited.events.map((e) => e.position)).toEqual([106, 107, 108]);
    expect(limited).toMatchObject({ nextAfter: 108, isEnd: false });

    const odd = recent.page({ after: 100, eventTypes: ['Odd'], streamPrefix: 'sprint-' }, head)!;
    expect(odd.events.map((e) => e.position)).toEqual([105, 111, 117]);
    expect(odd).toMatchObject({ nextAfter: 120, isEnd: true });

    expect(recent.page({ after: 100, eventTypes: [] }, head)).toEqual({ events: [], nextAfter: 120, isEnd: true });
    expect(recent.page({ after: 120 }, head)).toEqual({ events: [], nextAfter: 120, isEnd: true });
  });

  it('declines reads that start before what it holds', () => {
    const recent = new RecentEvents(100);
    recent.add(rows(100, 5));
    expect(recent.page({ after: 99 }, 105)).toBeUndefined();
    expect(recent.page({}, 105)).toBeUndefined();
    expect(recent.page({ after: 100 }, 105)?.events).toHaveLength(5);
  });

  it('drops the oldest events beyond its count and size limits, and then declines reads of them', () => {
    const byCount = new RecentEvents(0, { maxEvents: 50 });
    for (let from = 0; from < 5000; from += 10) byCount.add(rows(from, 10));
    expect(byCount.size).toBe(50);
    expect(byCount.page({ after: 4949 }, 5000)).toBeUndefined();
    expect(byCount.page({ after: 4950 }, 5000)!.events.map((e) => e.position)).toEqual(Array.from({ length: 50 }, (_, i) => 4951 + i));

    const bySize = new RecentEvents(0, { maxChars: 10_000 });
    bySize.add(rows(0, 3, 4000));
    expect(bySize.size).toBe(2);
    expect(bySize.page({ after: 0 }, 3)).toBeUndefined();
    expect(bySize.page({ after: 1 }, 3)!.events.map((e) => e.position)).toEqual([2, 3]);
  });

  it('hands out frozen events, so no subscriber can change what another one sees', () => {
    const recent = new RecentEvents(0);
    recent.add(rows(0, 1));
    const [event] = recent.page({}, 1)!.events;
    expect(() => {
      (event.data as { n: number }).n = 7;
    }).toThrow(TypeError);
    expect(() => {
      (event.metadata as unknown as { nested: { position: number } }).nested.position = 7;
    }).toThrow(TypeError);
    expect(recent.page({}, 1)!.events[0].data).toMatchObject({ n: 1 });
  });

  it('forgets everything on reset', () => {
    const recent = new RecentEvents(0);
    recent.add(rows(0, 3));
    recent.reset(3);
    expect(recent.size).toBe(0);
    expect(recent.page({ after: 2 }, 3)).toBeUndefined();
    expect(recent.page({ after: 3 }, 3)).toEqual({ events: [], nextAfter: 3, isEnd: true });
  });
});
