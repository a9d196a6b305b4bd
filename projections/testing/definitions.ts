/**
 * The shipped definitions (definitions/ at the repository root), found by walking up from this
 * file so the same code finds them from projections/testing (ts-node, jest) and from dist (bench).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function definitionsDir(kind: 'lifecycles' | 'workflows', from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'definitions', kind);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`definitions/${kind} not found above ${from}`);
  }
}
