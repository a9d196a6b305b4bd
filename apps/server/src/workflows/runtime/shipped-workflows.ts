/**
 * The example workflows ship as YAML in definitions/workflows at the repository root, found by
 * walking up from this file (apps/server/src under ts-node and jest, dist/apps/server/src once built).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function shippedWorkflowsDir(from: string = __dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'definitions', 'workflows');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export function readShippedWorkflows(dir = shippedWorkflowsDir()): Array<{ name: string; source: string }> {
  if (!dir) return [];
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => ({ name: file, source: readFileSync(join(dir, file), 'utf8') }));
}
