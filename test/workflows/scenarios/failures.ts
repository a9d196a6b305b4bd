/** When tasks fail (WORKFLOWS.md, Tasks and Transitions): retry, timeout, delay, fail target, errors, joins, fail-fast. */
import type { Scenario } from '../support/scenario';

const task = (view: any, name: string) => view.tasks.filter((t: any) => t.task === name);
const gaps = (times: string[]) => times.slice(1).map((t, i) => Date.parse(t) - Date.parse(times[i]));

export const FAILURE_SCENARIOS: Scenario[] = [
  {
    name: 'retries with exponential backoff capped by max_delay, then takes on_failure',
    workflows: [
      `ref: fail.retry
output: "{{ tasks.cleanup.result }}"
tasks:
  build:
    action: ci.build
    retry: {count: 3, delay: 40ms, backoff: exponential, max_delay: 100ms}
    on_failure: cleanup
  cleanup: {action: core.echo, input: {why: "{{ tasks.build.error.message }}", attempts: "{{ tasks.build.attempts }}"}}
`,
    ],
    results: { build: ['a', 'b', 'c', 'd'].map((m) => ({ error: `boom ${m}` })) },
    expect: { status: 'succeeded', order: ['build', 'cleanup'], output: { why: 'boom d', attempts: 4 } },
    async real({ view }) {
      const attempts = task(view, 'build')[0].runs[0].attempts;
      expect(attempts.map((a: any) => [a.attempt, a.status, a.retrying])).toEqual([
        [1, 'failed', true],
        [2, 'failed', true],
        [3, 'failed', true],
        [4, 'failed', false],
      ]);
      // Each retry waits at least its backoff: 40, 80, then 100 (capped).
      const waited = attempts.slice(1).map((a: any, i: number) => Date.parse(a.scheduledAt) - Date.parse(attempts[i].endedAt));
      [40, 80, 100].forEach((delay, i) => expect(waited[i]).toBeGreaterThanOrEqual(delay - 2));
    },
    simulated(outcome) {
      const builds = outcome.runs.filter((r) => r.task === 'build');
      expect(gaps(builds.map((r) => r.scheduledAt))).toEqual([40, 80, 100]);
    },
  },
  {
    name: 'fails an attempt that exceeds its timeout, with timedout() true',
    workflows: [
      `ref: fail.timeout
tasks:
  build:
    action: ci.build
    timeout: 100ms
    next:
      - when: "{{ timedout() }}"
        publish: {reason: "{{ error().code }}"}
        do: noop
`,
    ],
    results: { build: [{ result: 'late', after: '400ms' }] },
    expect: { status: 'succeeded', order: ['build'], vars: { reason: 'timeout' } },
    async real({ view }) {
      expect(task(view, 'build')[0].runs[0].attempts[0]).toMatchObject({ status: 'timedout', error: { code: 'timeout' } });
    },
  },
  {
    name: 'waits `delay` before the first attempt',
    workflows: [
      `ref: fail.delay
tasks:
  a: {action: core.noop, on_success: b}
  b: {action: ext.b, delay: 150ms}
`,
    ],
    results: { b: ['done'] },
    expect: { status: 'succeeded', order: ['a', 'b'] },
    async real({ view }) {
      const a = task(view, 'a')[0].runs[0].attempts[0];
      const b = task(view, 'b')[0].runs[0].attempts[0];
      expect(Date.parse(b.scheduledAt) - Date.parse(a.endedAt)).toBeGreaterThanOrEqual(148);
    },
    simulated(outcome) {
      expect(gaps(outcome.runs.map((r) => r.scheduledAt))).toEqual([150]);
    },
  },
  {
    name: 'fails through the fail target after publishing, and still runs the other targets',
    workflows: [
      `ref: fail.target
tasks:
  build:
    action: ci.build
    next:
      - when: "{{ failed() }}"
        publish: {reason: "{{ error().message }}"}
        do: [notify, fail]
  notify: {action: core.echo, input: {text: "failed: {{ vars.reason }}"}}
`,
    ],
    results: { build: [{ error: 'compiler exploded' }] },
    expect: { status: 'failed', order: ['build', 'notify'], vars: { reason: 'compiler exploded' }, error: { code: 'fail_transition', task: 'build' } },
    async real({ view }) {
      expect(task(view, 'notify')[0].result).toEqual({ text: 'failed: compiler exploded' });
    },
  },
  {
    name: 'fails the execution on a run-time expression error, naming the task and the expression',
    workflows: [
      `ref: fail.expression
tasks:
  build:
    action: ci.build
    next:
      - publish: {image: "{{ result().image }}"}
        do: deploy
  deploy: {action: core.noop}
`,
    ],
    results: { build: [{ tag: 'v1' }] },
    expect: {
      status: 'failed',
      order: ['build'],
      error: { code: 'expression_error', task: 'build', message: 'task "build", next[0].publish.image: expression "{{ result().image }}" failed: No such key: image' },
    },
    async real({ view }) {
      expect(view.error).toMatchObject({ details: { expression: '{{ result().image }}', where: 'next[0].publish.image' } });
      expect(task(view, 'build')[0].transitions.evaluations).toEqual([{ transition: 'next[0]', when: 'succeeded()', outcome: 'error', message: 'No such key: image' }]);
    },
  },
  {
    name: 'fails an unsatisfiable join with unsatisfiable_join, naming the join and what is missing',
    workflows: [
      `ref: fail.join
tasks:
  a:
    action: core.noop
    next:
      - {when: "{{ false }}", do: b}
      - {do: c}
  b: {action: core.noop, on_success: d}
  c: {action: ext.c, on_success: d}
  d: {action: core.noop, join: all}
`,
    ],
    results: { c: ['ok'] },
    expect: {
      status: 'failed',
      order: ['a', 'c'],
      error: {
        code: 'unsatisfiable_join',
        task: 'd',
        message: 'join "d" (all of 2) can no longer be satisfied: arrived from c:on_success; missing b:on_success, which can no longer fire',
      },
    },
  },
  {
    name: 'shows each evaluation of a task whose transitions all evaluated false',
    workflows: [
      `ref: fail.allfalse
output: "{{ tasks.check.result }}"
tasks:
  check:
    action: ext.check
    next:
      - when: "{{ result() == 'green' }}"
        do: ship
      - when: "{{ result() == 'red' }}"
        do: alert
  ship: {action: core.noop}
  alert: {action: core.noop}
`,
    ],
    results: { check: ['amber'] },
    expect: { status: 'succeeded', order: ['check'], output: 'amber' },
    async real({ view }) {
      expect(task(view, 'check')[0].transitions).toEqual({
        outcome: 'succeeded',
        evaluations: [
          { transition: 'next[0]', when: "{{ result() == 'green' }}", outcome: 'false' },
          { transition: 'next[1]', when: "{{ result() == 'red' }}", outcome: 'false' },
        ],
        reached: [],
      });
    },
  },
  {
    name: 'fails fast: no new task after an unhandled failure, while a running branch finishes',
    workflows: [
      `ref: fail.fast
tasks:
  begin: {action: core.noop, next: [{do: [quick, slow]}]}
  quick: {action: ext.quick}
  slow: {action: ext.slow, on_success: after}
  after: {action: core.noop}
`,
    ],
    results: { quick: [{ error: 'broken', after: '20ms' }], slow: [{ result: 'done', after: '250ms' }] },
    expect: { status: 'failed', order: ['begin', 'quick', 'slow'], error: { code: 'task_failed', task: 'quick' } },
    async real({ view, events }) {
      expect(task(view, 'slow')[0]).toMatchObject({ status: 'succeeded', transitions: { evaluations: [expect.objectContaining({ outcome: 'skipped' })] } });
      const types = events.map((e) => e.type);
      expect(types.indexOf('ExecutionFailing')).toBeLessThan(types.lastIndexOf('TaskRunSucceeded'));
      expect(types[types.length - 1]).toBe('ExecutionFailed');
    },
  },
  {
    name: 'retries only the failed items of a with-items task and keeps the rest',
    workflows: [
      `ref: fail.items
output: "{{ tasks.shard.result }}"
tasks:
  shard:
    action: ci.shard
    with: {items: "{{ [1, 2, 3] }}", concurrency: 3}
    input: {n: "{{ item() }}"}
    retry: {count: 1, delay: 30ms}
`,
    ],
    results: { shard: ['one', { error: 'flaky', after: '20ms' }, { result: 'three', after: '60ms' }, 'two'] },
    expect: { status: 'succeeded', order: ['shard', 'shard', 'shard'], output: ['one', 'two', 'three'] },
    async real({ view }) {
      expect(task(view, 'shard')[0].runs.map((r: any) => r.attempts.length)).toEqual([1, 2, 1]);
    },
  },
  {
    name: 'reads a failed task through on_complete, error() and tasks.<name>',
    workflows: [
      `ref: fail.complete
output: {status: "{{ tasks.probe.status }}", code: "{{ vars.code }}"}
tasks:
  probe:
    action: ext.probe
    next:
      - when: "{{ completed() }}"
        publish: {code: "{{ failed() ? error().code : 'none' }}"}
        do: report
  report: {action: core.echo, input: {attempts: "{{ tasks.probe.attempts }}"}}
`,
    ],
    results: { probe: [{ error: { code: 'unreachable', message: 'host down' } }] },
    expect: { status: 'succeeded', order: ['probe', 'report'], output: { status: 'failed', code: 'unreachable' }, vars: { code: 'unreachable' } },
  },
];
