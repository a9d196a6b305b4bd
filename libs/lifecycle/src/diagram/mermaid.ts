/**
 * A compiled lifecycle as a Mermaid `stateDiagram-v2` (GET /lifecycles/{name}/diagram).
 * Superstates that do not overlap become composite states, so a transition from a superstate is
 * one edge from the box; overlapping ones cannot nest and become notes. Edge labels mark what a
 * reader must know before firing: [guard], [reason], [approval role×count], [history].
 */
import { HISTORY, type CompiledLifecycle, type CompiledTransition } from '../lifecycle';

export function renderMermaid(lifecycle: CompiledLifecycle): string {
  const lines = ['stateDiagram-v2'];
  const composite = compositeSuperstates(lifecycle);
  const boxed = new Set(composite.flatMap((name) => lifecycle.superstates[name]));

  for (const state of Object.keys(lifecycle.states)) if (!boxed.has(state)) lines.push(`  ${state}`);
  for (const name of composite) {
    lines.push(`  state ${name} {`);
    for (const member of lifecycle.superstates[name]) lines.push(`    ${member}`);
    lines.push('  }');
  }
  for (const [name, members] of Object.entries(lifecycle.superstates)) {
    if (composite.includes(name)) continue;
    for (const member of members) lines.push(`  note right of ${member} : in ${name}`);
  }

  // Edges come after every declaration, so Mermaid already knows which box a state sits in.
  lines.push(`  [*] --> ${lifecycle.initial}`);
  for (const transition of Object.values(lifecycle.transitions)) {
    const label = edgeLabel(transition);
    const sources = transition.from.map((from) => (lifecycle.states[from] || composite.includes(from) ? [from] : lifecycle.superstates[from])).flat();
    for (const source of sources) {
      for (const target of targets(lifecycle, transition, composite)) lines.push(`  ${source} --> ${target} : ${label}`);
    }
  }
  for (const state of Object.values(lifecycle.states)) if (state.final) lines.push(`  ${state.name} --> [*]`);
  for (const state of Object.values(lifecycle.states)) {
    if (state.data) lines.push(`  note left of ${state.name} : data ${state.data.properties.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

function edgeLabel(transition: CompiledTransition): string {
  const marks = [transition.name];
  if (transition.guard) marks.push('[guard]');
  if (transition.reasonRequired) marks.push('[reason]');
  if (transition.approval) marks.push(`[approval ${transition.approval.roles.join('/')}×${transition.approval.count}]`);
  if (transition.to === HISTORY) marks.push('[history]');
  return marks.join(' ');
}

/** A history edge goes back to wherever the entity came from: every state with an edge into `from`. */
function targets(lifecycle: CompiledLifecycle, transition: CompiledTransition, composite: string[]): string[] {
  if (transition.to !== HISTORY) return [transition.to];
  const sources = new Set(transition.fromStates);
  const previous = new Set<string>();
  for (const t of Object.values(lifecycle.transitions)) {
    if (t.to !== HISTORY && sources.has(t.to)) t.fromStates.filter((s) => !sources.has(s)).forEach((s) => previous.add(s));
  }
  for (const name of composite) {
    const members = lifecycle.superstates[name];
    if (members.length === previous.size && members.every((m) => previous.has(m))) return [name];
  }
  return [...previous];
}

/** Superstates that share no state with another superstate can be drawn as boxes. */
function compositeSuperstates(lifecycle: CompiledLifecycle): string[] {
  const entries = Object.entries(lifecycle.superstates);
  return entries
    .filter(([name, members]) => entries.every(([other, theirs]) => other === name || !theirs.some((m) => members.includes(m))))
    .map(([name]) => name);
}
