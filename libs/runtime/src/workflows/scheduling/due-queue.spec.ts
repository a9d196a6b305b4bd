import { DueQueue } from './due-queue';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DueQueue', () => {
  it('fires items in due order with one timer, skipping replaced and removed items', async () => {
    const fired: string[] = [];
    const queue = new DueQueue<string>((key, value) => fired.push(`${key}=${value}`));
    const now = Date.now();
    queue.set('c', now + 60, 'c1');
    queue.set('a', now + 20, 'a1');
    queue.set('b', now + 40, 'b1');
    queue.set('a', now + 50, 'a2');
    queue.delete('b');
    expect(queue.size).toBe(2);
    await later(120);
    expect(fired).toEqual(['a=a2', 'c=c1']);
    expect(queue.size).toBe(0);
    queue.stop();
  });

  it('fires nothing once stopped', async () => {
    const fired: string[] = [];
    const queue = new DueQueue<string>((key) => fired.push(key));
    queue.set('x', Date.now() + 10, 'x');
    queue.stop();
    await later(40);
    expect(fired).toEqual([]);
  });
});
