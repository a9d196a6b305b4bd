import { AcknowledgementOrder, KeyedSerializer } from './acknowledgements';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('AcknowledgementOrder', () => {
  it('holds back an append until every append in flight when it committed has settled, then releases by position', async () => {
    const order = new AcknowledgementOrder();
    const released: string[] = [];
    const [a, b, c] = [order.begin(), order.begin(), order.begin()];

    void order.committed(b, 20).then(() => released.push('b@20'));
    await turn();
    const beforeOthers = [...released];
    void order.committed(a, 10).then(() => released.push('a@10'));
    await turn();
    const beforeC = [...released];
    order.failed(c);
    await turn();

    expect(beforeOthers).toEqual([]);
    expect(beforeC).toEqual([]);
    expect(released).toEqual(['a@10', 'b@20']);
  });

  it('does not wait for appends sent after it committed', async () => {
    const order = new AcknowledgementOrder();
    const released: number[] = [];
    const first = order.begin();
    void order.committed(first, 5).then(() => released.push(5));
    const later = order.begin();
    await turn();

    expect(released).toEqual([5]);
    order.failed(later);
  });
});

describe('KeyedSerializer', () => {
  it('runs tasks of one key one after another, even after a failure, and other keys alongside', async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const task = (name: string, fail = false) => async () => {
      log.push(`start ${name}`);
      await turn();
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };

    const results = await Promise.allSettled([
      serializer.run('s', task('s1', true)),
      serializer.run('s', task('s2')),
      serializer.run('t', task('t1')),
    ]);

    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.indexOf('start s2')).toBeGreaterThan(log.indexOf('end s1'));
    expect(log.indexOf('start t1')).toBeLessThan(log.indexOf('end s1'));
  });
});
