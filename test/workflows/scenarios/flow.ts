/** How executions flow (WORKFLOWS.md, Transitions): sequence, fan-out, joins, re-runs, cycles, with-items. */
import type { Scenario } from '../support/scenario';

const task = (view: any, name: string) => view.tasks.filter((t: any) => t.task === name);

export const FLOW_SCENARIOS: Scenario[] = [
  {
    name: 'runs a sequence, passing results along, and renders the output',
    workflows: [
      `ref: flow.sequence
input: {name: {type: string, default: world}}
output: {greeting: "{{ tasks.greet.result.text }}"}
tasks:
  fetch: {action: ext.fetch, on_success: shape}
  shape: {action: core.echo, input: {text: "{{ tasks.fetch.result.word }} {{ parameters.name }}"}, on_success: greet}
  greet: {action: ext.greet, input: {text: "{{ upper(tasks.shape.result.text) }}"}}
`,
    ],
    results: { fetch: [{ word: 'hello' }], greet: [{ text: 'HELLO WORLD!' }] },
    expect: { status: 'succeeded', order: ['fetch', 'shape', 'greet'], output: { greeting: 'HELLO WORLD!' }, vars: {} },
    async real({ view }) {
      expect(task(view, 'shape')[0].runs[0].attempts[0]).toMatchObject({ status: 'succeeded', input: { text: 'hello world' }, result: { text: 'hello world' } });
    },
  },
  {
    name: 'fans out to every target of a transition, in do order',
    workflows: [
      `ref: flow.fanout
output: {b: "{{ tasks.b.result }}", c: "{{ tasks.c.result }}", d: "{{ tasks.d.result }}"}
tasks:
  a: {action: core.noop, next: [{do: [b, c, d]}]}
  b: {action: ext.b}
  c: {action: ext.c}
  d: {action: ext.d}
`,
    ],
    results: { b: [{ result: 'B', after: '60ms' }], c: [{ result: 'C', after: '20ms' }], d: ['D'] },
    expect: { status: 'succeeded', order: ['a', 'b', 'c', 'd'], output: { b: 'B', c: 'C', d: 'D' } },
    async real({ view }) {
      expect(task(view, 'a')[0].transitions).toMatchObject({ outcome: 'succeeded', reached: ['b', 'c', 'd'] });
    },
  },
  {
    name: 'join all runs the task once, after every inbound transition fired',
    workflows: [
      `ref: flow.joinall
output: "{{ tasks.d.result }}"
tasks:
  a: {action: core.noop, next: [{do: [b, c]}]}
  b: {action: ext.slow, on_success: d}
  c: {action: ext.fast, on_success: d}
  d: {action: core.echo, input: {b: "{{ tasks.b.result }}", c: "{{ tasks.c.result }}"}, join: all}
`,
    ],
    results: { b: [{ result: 'B', after: '200ms' }], c: [{ result: 'C', after: '20ms' }] },
    expect: { status: 'succeeded', order: ['a', 'b', 'c', 'd'], counts: { d: 1 }, output: { b: 'B', c: 'C' } },
    async real({ view }) {
      const [d] = task(view, 'd');
      expect(d).toMatchObject({ via: 'b:on_success', joined: ['c:on_success', 'b:on_success'] });
      const bEnded = task(view, 'b')[0].endedAt;
      expect(d.reachedAt >= bEnded).toBe(true);
      expect(task(view, 'c')[0].transitions.reached).toEqual([]);
    },
  },
  {
    name: 'join 2 of 3 runs the task once, when the second arrives; the third is absorbed',
    workflows: [
      `ref: flow.join2
output: "{{ tasks.d.result }}"
tasks:
  a: {action: core.noop, next: [{do: [b, c, e]}]}
  b: {action: ext.b, on_success: d}
  c: {action: ext.c, on_success: d}
  e: {action: ext.e, on_success: d}
  d: {action: core.echo, input: {b: "{{ tasks.b.result }}", c: "{{ tasks.c.result }}", e: "{{ tasks.e.status }}"}, join: 2}
`,
    ],
    results: { b: [{ result: 1, after: '20ms' }], c: [{ result: 2, after: '150ms' }], e: [{ result: 3, after: '400ms' }] },
    expect: { status: 'succeeded', order: ['a', 'b', 'c', 'e', 'd'], counts: { d: 1 }, output: { b: 1, c: 2, e: 'running' } },
    async real({ view }) {
      expect(task(view, 'd')).toEqual([expect.objectContaining({ joined: ['b:on_success', 'c:on_success'] })]);
    },
  },
  {
    name: 'runs a task reached twice without join twice, once per inbound transition',
    workflows: [
      `ref: flow.twice
vars: {seen: []}
output: {seen: "{{ vars.seen }}"}
tasks:
  a: {action: core.noop, next: [{do: [b, c]}]}
  b: {action: ext.b, on_success: d}
  c: {action: ext.c, on_success: d}
  d:
    action: core.echo
    input: {from: "{{ tasks.b.status }}/{{ tasks.c.status }}"}
    next: [{publish: {seen: "{{ vars.seen + [result().from] }}"}}]
`,
    ],
    results: { b: [{ result: 'b', after: '20ms' }], c: [{ result: 'c', after: '200ms' }] },
    expect: { status: 'succeeded', order: ['a', 'b', 'c', 'd', 'd'], counts: { d: 2 }, output: { seen: ['succeeded/running', 'succeeded/succeeded'] } },
    async real({ view }) {
      expect(task(view, 'd').map((t: any) => t.via)).toEqual(['b:on_success', 'c:on_success']);
    },
  },
  {
    name: 'leaves a cycle when its condition says so',
    workflows: [
      `ref: flow.cycle
start: poll
vars: {count: 0}
output: {count: "{{ vars.count }}"}
tasks:
  poll:
    action: ext.status
    next:
      - when: "{{ result() != 'ready' }}"
        publish: {count: "{{ vars.count + 1 }}"}
        do: poll
      - when: "{{ result() == 'ready' }}"
        do: done
  done: {action: core.noop}
`,
    ],
    results: { poll: ['pending', 'pending', 'ready'] },
    expect: { status: 'succeeded', order: ['poll', 'poll', 'poll', 'done'], vars: { count: 2 }, output: { count: 2 } },
  },
  {
    name: 'stops a runaway cycle at max_task_runs with an error naming the task',
    workflows: [
      `ref: flow.runaway
limits: {max_task_runs: 5}
start: spin
tasks:
  spin: {action: core.noop, on_success: spin}
`,
    ],
    expect: {
      status: 'failed',
      order: ['spin', 'spin', 'spin', 'spin', 'spin'],
      error: { code: 'max_task_runs_exceeded', task: 'spin', message: expect.stringContaining('task "spin" reached max_task_runs (5)') },
    },
  },
  {
    name: 'stops a runaway cycle of an external action at max_task_runs',
    workflows: [
      `ref: flow.runaway2
limits: {max_task_runs: 3}
start: ping
tasks:
  ping: {action: ext.ping, on_success: ping}
`,
    ],
    results: { ping: ['a', 'b', 'c', 'd'] },
    expect: { status: 'failed', order: ['ping', 'ping', 'ping'], error: { code: 'max_task_runs_exceeded', task: 'ping' } },
  },
  {
    name: 'runs with-items at most `concurrency` at a time and keeps results in item order',
    workflows: [
      `ref: flow.items
input: {regions: {type: array, default: [r0, r1, r2, r3, r4]}}
output: {deployed: "{{ tasks.deploy.result }}"}
tasks:
  deploy:
    action: deploy.region
    with: {items: "{{ parameters.regions }}", concurrency: 2}
    input: {region: "{{ item() }}", n: "{{ index() }}"}
`,
    ],
    results: { deploy: ['150ms', '30ms', '90ms', '30ms', '60ms'].map((after, i) => ({ result: `ok-${i}`, after })) },
    expect: {
      status: 'succeeded',
      order: ['deploy', 'deploy', 'deploy', 'deploy', 'deploy'],
      maxInFlight: { deploy: 2 },
      output: { deployed: ['ok-0', 'ok-1', 'ok-2', 'ok-3', 'ok-4'] },
    },
    async real({ view }) {
      const [deploy] = task(view, 'deploy');
      expect(deploy.runs.map((r: any) => [r.item, r.attempts[0].input])).toEqual([0, 1, 2, 3, 4].map((i) => [i, { region: `r${i}`, n: i }]));
    },
  },
];
