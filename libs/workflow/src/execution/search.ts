/**
 * `search:` values (WORKFLOWS.md, Executions): indexed in the read model so runs can be listed by
 * business fields. A value that cannot be computed is null rather than a failed execution.
 */
import { render, type CompiledWorkflow } from '../definition';

export function computeSearch(
  workflow: CompiledWorkflow,
  parameters: Record<string, unknown>,
  vars: Record<string, unknown>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const { name, value } of workflow.search) {
    try {
      values[name] = render(value, { parameters, vars });
    } catch {
      values[name] = null;
    }
  }
  return values;
}
