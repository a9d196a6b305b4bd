import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { nameUuid } from './name-uuid';

describe('nameUuid', () => {
  it('gives the RFC test vector: www.example.com in the DNS namespace', () => {
    expect(nameUuid('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('equals the uuid package for every name it is given, ASCII, unicode, empty and long', () => {
    const namespace = '6f1d8e0c-54a4-4c55-9a38-2d1f3b7f6a10';
    const names = ['', 'a', 'issue-1\nkey\n0', 'Zürich ✓ 漢字 🙂', 'x'.repeat(5000), ...Array.from({ length: 200 }, () => `${randomUUID()}\n${Math.random()}`)];
    for (const name of names) expect(nameUuid(name, namespace)).toBe(uuidv5(name, namespace));
    const other = randomUUID();
    expect(nameUuid('same name', other)).toBe(uuidv5('same name', other));
    expect(nameUuid('same name', other.toUpperCase())).toBe(uuidv5('same name', other));
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => nameUuid('name', 'not-a-uuid')).toThrow(TypeError);
  });
});
