import type { ReadAllOptions, ReadAllPage, RecordedEvent } from './event-store';
import { catchUpSubscription, HeadSignal } from './subscription';

/** An in-memory log that behaves like an adapter's readAll, to test the loop on its own. */
function memoryLog() {
  const events: RecordedEvent[] = [];
  const signal = new HeadSignal();
  const append = (count: number) => {
    for (let i = 0; i < count; i += 1) {
      const position = events.length + 1;
      events.push({ id: `e${position}`, type: 'T', streamId: 's', revision: position - 1, position, data: {}, metadata: {} as never });
    }
    signal.advance(events.length);
  };
  const readAll = async ({ after = 0, maxCount = Infinity }: ReadAllOptions): Promise<ReadAllPage> => {
    const page = events.filter((e) => e.position > after).slice(0, maxCount);
    const reachedEnd = page.length < maxCount || page[page.length - 1].position === events.length;
    return { events: page, nextAfter: reachedEnd ? Math.max(after, events.length) : page[page.length - 1].position, isEnd: reachedEnd };
  };
  return { append, source: { readAll, waitForAppend: (after: number, abort: AbortSignal) => signal.wait(after, abort) }, signal };
}

describe('catchUpSubscription', () => {
  it('catches up in pages, then follows appends, handing each position over exactly once', async () => {
    const log = memoryLog();
    log.append(7);
    const seen: number[] = [];

    const subscription = catchUpSubscription(log.source, (e) => void seen.push(e.position), { after: 2, batchSize: 2 });
    await subscription.caughtUp;
    log.append(3);
    await new Promise((r) => setTimeout(r, 10));
    await subscription.stop();
    log.append(1);
    await new Promise((r) => setTimeout(r, 10));

    expect(seen).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(subscription.position).toBe(10);
    await expect(subscription.done).resolves.toBeUndefined();
  });

  it('rejects caughtUp and done with the handler error when it fails while catching up', async () => {
    const log = memoryLog();
    log.append(3);
    const failure = new Error('boom');

    const subscription = catchUpSubscription(log.source, (e) => {
      if (e.position === 2) throw failure;
    });

    await expect(subscription.caughtUp).rejects.toBe(failure);
    await expect(subscription.done).rejects.toBe(failure);
    expect(subscription.position).toBe(1);
  });

  it('a stopped HeadSignal wait and a closed signal release their waiters', async () => {
    const signal = new HeadSignal(5);
    const abort = new AbortController();
    const woken: string[] = [];

    void signal.wait(5, abort.signal).then(() => woken.push('aborted'));
    void signal.wait(6, new AbortController().signal).then(() => woken.push('closed'));
    void signal.wait(4, new AbortController().signal).then(() => woken.push('already past'));
    await Promise.resolve();
    abort.abort();
    signal.close();
    await new Promise((r) => setImmediate(r));

    expect(woken.sort()).toEqual(['aborted', 'already past', 'closed']);
  });
});
