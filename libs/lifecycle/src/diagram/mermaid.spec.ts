import { readFileSync } from 'fs';
import { join } from 'path';
import { compileLifecycle } from '../compile/compile';
import type { CompiledLifecycle } from '../lifecycle';
import { renderMermaid } from './mermaid';

const load = (source: string): CompiledLifecycle => {
  const result = compileLifecycle(source);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.lifecycle;
};
const issue = load(readFileSync(join(__dirname, '../../../../definitions/lifecycles/issue.yaml'), 'utf8'));

describe('renderMermaid', () => {
  const text = renderMermaid(issue);
  const lines = text.split('\n').map((l) => l.trim());

  it('is a stateDiagram-v2 with the initial and final pseudo-states', () => {
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(lines).toContain('[*] --> Backlog');
    expect(lines).toContain('Abandoned --> [*]');
  });

  it('contains every state and every transition of the issue lifecycle', () => {
    for (const state of Object.keys(issue.states)) expect(lines).toContain(state);
    for (const name of Object.keys(issue.transitions)) expect(lines.some((l) => new RegExp(`--> \\S+ : ${name}( |$)`).test(l))).toBe(true);
  });

  it('draws the superstate as a box, with the edges that leave from it and return to it', () => {
    expect(text).toContain('state active {\n    Backlog\n    Ready\n    InProgress\n    InReview\n    Testing\n  }');
    expect(lines).toContain('active --> Blocked : block [reason]');
    expect(lines).toContain('Blocked --> active : unblock [history]');
    expect(lines).toContain('active --> Abandoned : abandon [reason]');
  });

  it('marks guards, reasons and approvals on the edges, and state data in a note', () => {
    expect(lines).toContain('Backlog --> Ready : ready [guard]');
    expect(lines).toContain('InReview --> InProgress : request_changes [reason]');
    expect(lines).toContain('InReview --> Testing : accept_review [approval reviewer×1]');
    expect(lines).toContain('note left of InReview : data pr_url');
  });

  it('overlapping superstates become notes, and history edges go to each way in', () => {
    const overlapping = load(`
lifecycle: overlap
initial: A
states: {A: {}, B: {}, C: {}, H: {}}
superstates:
  left: [A, B]
  right: [B, C]
transitions:
  ab: {from: A, to: B}
  bc: {from: B, to: C}
  hold: {from: [A, C], to: H}
  resume: {from: H, to: history}
`);
    const out = renderMermaid(overlapping).split('\n').map((l) => l.trim());
    expect(out).toEqual(expect.arrayContaining(['note right of A : in left', 'note right of B : in right', 'H --> A : resume [history]', 'H --> C : resume [history]']));
    expect(out.some((l) => l.startsWith('state left'))).toBe(false);
  });
});
