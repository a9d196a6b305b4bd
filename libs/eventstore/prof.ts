import { SqliteEventStore, verifyChain } from '@trellis/eventstore';
import { rmSync } from 'node:fs';
(async () => {
  rmSync('/tmp/prof-es', { recursive: true, force: true });
  const s = SqliteEventStore.open({ file: '/tmp/prof-es/a.db' });
  let t = Date.now();
  for (let b = 0; b < 100; b++) await s.append('long', Array.from({ length: 1000 }, (_, i) => ({ type: 'Tick', data: { n: b * 1000 + i } })));
  console.log('append', Date.now() - t); t = Date.now();
  const ev = await s.readStream('long');
  console.log('read', Date.now() - t, ev.length); t = Date.now();
  console.log(verifyChain(ev), 'verify', Date.now() - t);
  await s.close();
})();
