/**
 * The built-in lifecycles ship as YAML in definitions/lifecycles at the repository root. The
 * directory is found by walking up from this file, so the same code finds it from
 * apps/server/src (ts-node, jest) and from dist/apps/server/src (npm start).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const BUILT_IN_LIFECYCLES = ['project', 'sprint', 'issue'] as const;

export interface DefinitionSource {
  name: string;
  source: string;
}

export function builtInDefinitionsDir(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'definitions', 'lifecycles');
    if (existsSync(join(candidate, `${BUILT_IN_LIFECYCLES[0]}.yaml`))) return candidate;
    if (dirname(dir) === dir) throw new Error(`definitions/lifecycles not found above ${from}`);
  }
}

export function readBuiltInDefinitions(dir: string = builtInDefinitionsDir()): DefinitionSource[] {
  return BUILT_IN_LIFECYCLES.map((name) => ({ name, source: readFileSync(join(dir, `${name}.yaml`), 'utf8') }));
}
