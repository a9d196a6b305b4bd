import { yaml } from '../testing';
import { compileWorkflow } from './compile';
import type { CompileOptions, Problem } from './types';

function rejected(text: string, options?: CompileOptions): Problem[] {
  const outcome = compileWorkflow(text, options);
  if (outcome.ok) throw new Error('expected the definition to be rejected');
  return outcome.problems;
}

const problem = (path: string, line: number, message: string | RegExp) =>
  expect.objectContaining({ path, line, severity: 'error', message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message) });

describe('workflow definitions: broken ones are rejected with path, line and message', () => {
  it('1. an unknown top-level key', () => {
    const problems = rejected(yaml`
      ref: demo.flow
      taks:
        a: {action: core.noop}
    `);
    expect(problems).toContainEqual(problem('taks', 2, 'unknown key "taks" in the workflow'));
  });

  it('2. an unknown key in a task', () => {
    expect(rejected(yaml`
      ref: demo.flow
      tasks:
        a:
          action: core.noop
          retries: {count: 2}
    `)).toEqual([problem('tasks.a.retries', 5, 'unknown key "retries" in task "a"')]);
  });

  it('3. a do target that is not a task', () => {
    expect(rejected(yaml`
      ref: demo.flow
      tasks:
        a:
          action: core.noop
          next:
            - do: [b, deplyo]
        b: {action: core.noop}
    `)).toEqual([problem('tasks.a.next[0].do[1]', 6, 'do target "deplyo" is not a task (tasks: a, b; reserved: fail, noop)')]);
  });

  it('4. no entry task', () => {
    expect(rejected(yaml`
      ref: demo.flow
      tasks:
        a: {action: core.noop, on_success: b}
        b: {action: core.noop, on_success: a}
    `)).toEqual([problem('tasks', 2, 'no entry task')]);
  });

  it('5. an expression that does not parse', () => {
    expect(rejected(yaml`
      ref: demo.flow
      vars: {n: 1}
      tasks:
        a:
          action: core.echo
          input: {n: "{{ vars.n + }}"}
    `)).toEqual([problem('tasks.a.input.n', 6, 'expression "{{ vars.n + }}": Unexpected token')]);
  });

  it('6. an expression naming an unknown variable', () => {
    expect(rejected(yaml`
      ref: demo.flow
      tasks:
        a:
          action: core.echo
          input: {n: "{{ params.n }}"}
    `)).toEqual([problem('tasks.a.input.n', 5, 'expression "{{ params.n }}": Unknown variable: params')]);
  });

  it('7. an expression calling an unknown function', () => {
    expect(rejected(yaml`
      ref: demo.flow
      output: {x: '{{ shout("hi") }}'}
      tasks:
        a: {action: core.noop}
    `)).toEqual([problem('output.x', 2, 'unknown function shout()')]);
  });

  it('8. secrets outside task input', () => {
    expect(rejected(yaml`
      ref: demo.flow
      tasks:
        a:
          action: core.noop
          next:
            - publish: {token: "{{ secrets.api_token }}"}
    `)).toEqual([problem('tasks.a.next[0].publish.token', 6, 'secrets may appear only in task input')]);
  });

  it('9. a bad duration', () => {
    expect(rejected(yaml`
      ref: demo.flow
      limits: {timeout: 2h}
      tasks:
        a: {action: ci.build, timeout: 10 minutes}
    `)).toEqual([problem('tasks.a.timeout', 4, 'bad duration "10 minutes" (use 500ms, 30s, 10m, 2h or 1d)')]);
  });

  it('10. a bad parameter schema', () => {
    expect(rejected(yaml`
      ref: demo.flow
      input:
        env: {type: strng, required: true}
      tasks:
        a: {action: core.noop}
    `)).toEqual([problem('input.env', 3, 'bad schema for parameter "env"')]);
  });

  it('11. join on a task with one inbound transition', () => {
    expect(rejected(yaml`
      ref: demo.flow
      tasks:
        a: {action: core.noop, on_success: b}
        b: {action: core.noop, join: all}
    `)).toEqual([problem('tasks.b.join', 4, 'join on task "b", which has 1 inbound transition: a join needs at least two')]);
  });

  it('12. a child-workflow ref that does not exist', () => {
    const options: CompileOptions = {
      resolveWorkflowRef: (ref) => ref === 'release.build',
      isWorkflowNamespace: (ns) => ns === 'release',
    };
    expect(rejected(yaml`
      ref: demo.flow
      tasks:
        a: {action: release.biuld}
    `, options)).toEqual([problem('tasks.a.action', 3, 'no workflow "release.biuld" is registered')]);
  });

  it('13. tasks.<name> naming no task', () => {
    expect(rejected(yaml`
      ref: demo.flow
      tasks:
        build: {action: ci.build, on_success: report}
        report: {action: core.echo, input: {image: "{{ tasks.biuld.result.image }}"}}
    `)).toEqual([problem('tasks.report.input.image', 4, 'no task named "biuld"')]);
  });

  it('14. item() outside a with-items task', () => {
    expect(rejected(yaml`
      ref: demo.flow
      tasks:
        a: {action: core.echo, input: {region: "{{ item() }}"}}
    `)).toEqual([problem('tasks.a.input.region', 3, 'item() is available only in the input and retry.when of a task with "with: {items}"')]);
  });

  it('15. result() in task input', () => {
    expect(rejected(yaml`
      ref: demo.flow
      tasks:
        a: {action: core.echo, input: {x: "{{ result() }}"}}
    `)).toEqual([problem('tasks.a.input.x', 3, 'result() is available only in next (when/publish) and retry.when')]);
  });

  it('16. a when with text around the expression', () => {
    expect(rejected(yaml`
      ref: demo.flow
      tasks:
        a:
          action: core.noop
          next:
            - when: "ok: {{ succeeded() }}"
              do: noop
    `)).toEqual([problem('tasks.a.next[0].when', 6, 'when must be a single {{ }} expression')]);
  });

  it('17. a when that is not a bool', () => {
    expect(rejected(yaml`
      ref: demo.flow
      tasks:
        a:
          action: core.noop
          next: [{when: "{{ 1 + 2 }}", do: noop}]
    `)).toEqual([problem('tasks.a.next[0].when', 5, 'when must be a bool expression, but "{{ 1 + 2 }}" is int')]);
  });

  it('18. an unknown variable under vars', () => {
    expect(rejected(yaml`
      ref: demo.flow
      vars: {image: ""}
      output: {image: "{{ vars.imgae }}"}
      tasks:
        a: {action: core.noop}
    `)).toEqual([problem('output.image', 3, 'no variable "imgae" (declare it in vars or publish it from a transition)')]);
  });

  it('19. YAML that does not parse (a duplicate key)', () => {
    expect(rejected(yaml`
      ref: demo.flow
      tasks:
        a: {action: core.noop}
        a: {action: core.echo}
    `)).toEqual([problem('', 4, 'YAML: Map keys must be unique')]);
  });

  it('20. reserved task names, unknown built-ins, bad retry and with', () => {
    const problems = rejected(yaml`
      ref: demo.flow
      tasks:
        fail: {action: core.noop}
        a:
          action: core.shell
          retry: {count: -1, backoff: linear}
          with: {items: '{{ "abc" }}', concurrency: 0}
    `);
    expect(problems).toEqual(expect.arrayContaining([
      problem('tasks.fail', 3, '"fail" is a reserved target, not a task name'),
      problem('tasks.a.action', 5, 'unknown built-in action "core.shell"'),
      problem('tasks.a.retry.count', 6, 'retry.count must be a whole number'),
      problem('tasks.a.retry.backoff', 6, 'backoff must be fixed or exponential'),
      problem('tasks.a.with.items', 7, 'with.items must be a list'),
      problem('tasks.a.with.concurrency', 7, 'concurrency must be a positive whole number'),
    ]));
  });

  it('21. a join needing more than its inbound transitions, and start naming no task', () => {
    expect(rejected(yaml`
      ref: demo.flow
      start: [a, z]
      tasks:
        a: {action: core.noop, next: [{do: [b, c]}]}
        b: {action: core.noop, on_success: d}
        c: {action: core.noop, on_success: d}
        d: {action: core.noop, join: 3}
    `)).toEqual([
      problem('start[1]', 2, 'start names "z", which is not a task'),
      problem('tasks.d.join', 7, 'join 3 on task "d", which has only 2 inbound transitions'),
    ]);
  });

  it('22. a default that does not match its schema', () => {
    expect(rejected(yaml`
      ref: demo.flow
      input:
        env: {type: string, enum: [staging, production], default: prod}
      tasks:
        a: {action: core.noop}
    `)).toEqual([problem('input.env.default', 3, 'default does not match the schema')]);
  });
});

describe('workflow definitions: what compiles', () => {
  it('warns about unreachable tasks', () => {
    const outcome = compileWorkflow(yaml`
      ref: demo.flow
      start: a
      tasks:
        a: {action: core.noop}
        orphan: {action: core.noop}
    `);
    expect(outcome).toMatchObject({
      ok: true,
      warnings: [{ path: 'tasks.orphan', line: 5, severity: 'warning', message: expect.stringContaining('unreachable') }],
    });
  });

  it('reads shorthands, joins, durations and child workflows', () => {
    const outcome = compileWorkflow(yaml`
      ref: demo.flow
      limits: {timeout: 1d, max_task_runs: 7}
      tasks:
        a: {action: core.noop, next: [{do: [b, c]}]}
        b: {action: demo.child, on_failure: fail, on_complete: d}
        c: {action: ext.thing, on_success: d, delay: 500ms, heartbeat: 30s}
        d: {action: core.noop, join: all}
    `, { resolveWorkflowRef: (ref) => ref === 'demo.child' });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    const { tasks, entry, limits, inbound } = outcome.workflow;
    expect(entry).toEqual(['a']);
    expect(limits).toEqual({ timeoutMs: 86_400_000, maxTaskRuns: 7, maxEvents: 50_000, maxItems: 10_000 });
    expect(tasks.b.actionKind).toBe('workflow');
    expect(tasks.c.actionKind).toBe('external');
    expect(tasks.b.transitions.map((t) => [t.label, t.whenSource, t.do])).toEqual([
      ['on_failure', 'failed()', ['fail']],
      ['on_complete', 'completed()', ['d']],
    ]);
    expect(tasks.c).toMatchObject({ delayMs: 500, heartbeatMs: 30_000 });
    expect(tasks.d.join).toEqual({ need: 2, inbound: 2 });
    expect(inbound.d.map((e) => e.id)).toEqual(['b:on_complete', 'c:on_success']);
  });

  it('applies parameter defaults and rejects bad parameters', () => {
    const outcome = compileWorkflow(yaml`
      ref: demo.flow
      input:
        ref: {type: string, required: true}
        env: {type: string, enum: [staging, production], default: staging}
      tasks:
        a: {action: core.noop}
    `);
    if (!outcome.ok) throw new Error('should compile');
    expect(outcome.workflow.validateParameters({ ref: 'x' })).toEqual({ ok: true, value: { ref: 'x', env: 'staging' }, errors: [] });
    expect(outcome.workflow.validateParameters({ env: 'prod', extra: 1 }).errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['/ref', '/env', '/extra']),
    );
  });
});
