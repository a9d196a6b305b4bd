import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface AppInfo {
  name: string;
  version: string;
}

/**
 * Name and version from the repository's package.json, found by walking up from this file: the
 * same code runs from apps/server/src (ts-node, jest) and from dist/apps/server/src (npm start).
 */
export function appInfo(): AppInfo {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'trellis') return { name: 'Trellis', version: pkg.version ?? '0.0.0' };
    }
    if (dirname(dir) === dir) return { name: 'Trellis', version: '0.0.0' };
  }
}
