import { Simulation } from '../simulation';
import { workflow, yaml } from '../testing';
import { executionDiagram, workflowDiagram } from './mermaid';

const wf = workflow(yaml`
  ref: demo.diagram
  tasks:
    build:
      action: ci.build
      next:
        - {when: "{{ succeeded() }}", do: [test, lint]}
        - {when: "{{ failed() }}", do: fail}
    test: {action: ci.test, on_success: end}
    lint: {action: ci.lint, on_success: end}
    end: {action: core.noop, join: all}
`);

describe('Mermaid diagrams', () => {
  it('draws a definition: tasks, entry, transitions labelled with their when, fail', () => {
    expect(workflowDiagram(wf)).toBe([
      'flowchart TD',
      '  start((start))',
      '  t_build["build<br/><small>ci.build</small>"]',
      '  t_test["test<br/><small>ci.test</small>"]',
      '  t_lint["lint<br/><small>ci.lint</small>"]',
      '  t_end["end<br/><small>core.noop</small><br/>join all"]',
      '  fail(((fail)))',
      '  start --> t_build',
      '  t_build -->|"succeeded()"| t_test',
      '  t_build -->|"succeeded()"| t_lint',
      '  t_build -->|"failed()"| fail',
      '  t_test -->|"succeeded()"| t_end',
      '  t_lint -->|"succeeded()"| t_end',
    ].join('\n'));
  });

  it('colours an execution by the status of each task', () => {
    const sim = new Simulation(wf, { results: { test: [{ result: 'ok', after: '1m' }], lint: [{ error: 'style' }] } }).start();
    sim.run((s) => s.state.status === 'failing');
    const diagram = executionDiagram(wf, sim.state);
    expect(diagram).toContain('  classDef failed fill:#ffcdd2,stroke:#c62828');
    expect(diagram.split('\n').filter((l) => l.startsWith('  class '))).toEqual([
      '  class t_build succeeded',
      '  class t_test running',
      '  class t_lint failed',
      '  class t_end pending',
    ]);
  });
});
