/**
 * The task graph: transitions are edges. Entry tasks are those no transition points to (or those
 * named in `start:`); a join counts its inbound edges; `reach` lets the decider tell whether a
 * join's missing inbound tasks can still run.
 */
import { FAIL_TARGET, NOOP_TARGET, type CompiledTask, type Edge } from './types';

export function inboundEdges(tasks: Record<string, CompiledTask>): Record<string, Edge[]> {
  const inbound: Record<string, Edge[]> = Object.fromEntries(Object.keys(tasks).map((name) => [name, [] as Edge[]]));
  for (const task of Object.values(tasks)) {
    for (const transition of task.transitions) {
      for (const target of new Set(transition.do)) {
        if (target === FAIL_TARGET || target === NOOP_TARGET || !inbound[target]) continue;
        const id = `${task.name}:${transition.label}`;
        inbound[target].push({ id, source: task.name, label: transition.label, target });
      }
    }
  }
  return inbound;
}

export function successors(task: CompiledTask): string[] {
  return task.transitions.flatMap((t) => t.do).filter((t) => t !== FAIL_TARGET && t !== NOOP_TARGET);
}

/** Every task reachable from `from` (itself included), ignoring conditions. */
export function reachFrom(tasks: Record<string, CompiledTask>, from: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...from];
  while (queue.length) {
    const name = queue.shift() as string;
    if (seen.has(name) || !tasks[name]) continue;
    seen.add(name);
    queue.push(...successors(tasks[name]));
  }
  return seen;
}

export function reachTable(tasks: Record<string, CompiledTask>): Record<string, string[]> {
  return Object.fromEntries(Object.keys(tasks).map((name) => [name, [...reachFrom(tasks, [name])]]));
}
