import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { compileWorkflow } from './compile';

const dir = join(__dirname, '../../../../definitions/workflows');

describe('shipped example workflows', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  const refs = files.map((f) => f.replace(/\.yaml$/, ''));

  it.each(files)('%s compiles without warnings, under its file name', (file) => {
    const outcome = compileWorkflow(readFileSync(join(dir, file), 'utf8'), { resolveWorkflowRef: (ref) => refs.includes(ref) });
    if (!outcome.ok) throw new Error(outcome.problems.map((p) => `${p.line}: ${p.path}: ${p.message}`).join('\n'));
    expect(outcome.warnings).toEqual([]);
    expect(`${outcome.workflow.ref}.yaml`).toBe(file);
  });
});
