/**
 * Join barriers (WORKFLOWS.md, Tasks: join). A join collects inbound transitions in generations:
 * it releases the task once `need` of them have arrived; the rest of that generation is absorbed
 * when it arrives late, and an inbound transition arriving twice opens the next generation (a
 * cycle through the join). A join whose missing inbound tasks can no longer run is unsatisfiable.
 */
import type { CompiledWorkflow } from '../definition';
import type { ExecutionError } from './events';
import type { ExecutionState, JoinState } from './state';

export function arrive(
  join: JoinState,
  edge: string,
  need: number,
  inbound: number,
): { join: JoinState; release: boolean; arrived: string[] } {
  let current = join;
  if (current.released) {
    if (!current.arrived.includes(edge)) {
      const arrived = [...current.arrived, edge];
      const absorbed = arrived.length >= inbound ? { arrived: [], released: false } : { arrived, released: true };
      return { join: absorbed, release: false, arrived };
    }
    current = { arrived: [], released: false };
  }
  const arrived = current.arrived.includes(edge) ? current.arrived : [...current.arrived, edge];
  if (arrived.length < need) return { join: { arrived, released: false }, release: false, arrived };
  const next = arrived.length >= inbound ? { arrived: [], released: false } : { arrived, released: true };
  return { join: next, release: true, arrived };
}

/** The first join that waits for inbound transitions none of the live tasks can still fire. */
export function unsatisfiableJoin(state: ExecutionState, workflow: CompiledWorkflow): ExecutionError | undefined {
  const waiting = Object.entries(state.joins).filter(([, j]) => !j.released && j.arrived.length > 0);
  if (waiting.length === 0) return undefined;
  const possible = new Set<string>();
  for (const key of state.live) for (const task of workflow.reach[state.activations[key].task] ?? []) possible.add(task);
  for (const [task, join] of waiting) {
    const spec = workflow.tasks[task].join;
    if (!spec) continue;
    const missing = workflow.inbound[task].filter((edge) => !join.arrived.includes(edge.id));
    const stillPossible = missing.filter((edge) => possible.has(edge.source));
    if (join.arrived.length + stillPossible.length >= spec.need) continue;
    const need = spec.need === spec.inbound ? 'all' : String(spec.need);
    return {
      code: 'unsatisfiable_join',
      message:
        `join "${task}" (${need} of ${spec.inbound}) can no longer be satisfied: ` +
        `arrived from ${join.arrived.join(', ')}; missing ${missing.map((e) => e.id).join(', ')}, ` +
        `which can no longer fire`,
      task,
      details: { join: task, need: spec.need, arrived: join.arrived, missing: missing.map((e) => e.id) },
    };
  }
  return undefined;
}
