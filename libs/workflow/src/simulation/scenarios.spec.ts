import { workflow, yaml } from '../testing';
import { Simulation, simulate } from './simulate';

const ms = (from: string, to: string) => Date.parse(to) - Date.parse(from);

describe('simulation: how executions flow', () => {
  it('runs a sequence and renders the output', () => {
    const wf = workflow(yaml`
      ref: demo.sequence
      input: {name: {type: string, default: world}}
      output: {greeting: "{{ tasks.c.result.text }}"}
      tasks:
        a: {action: core.echo, input: {text: "hello"}, on_success: b}
        b: {action: core.echo, input: {text: "{{ tasks.a.result.text }} {{ parameters.name }}"}, on_success: c}
        c: {action: core.echo, input: {text: "{{ upper(tasks.b.result.text) }}"}}
    `);
    const report = simulate(wf);
    expect(report.order).toEqual(['a', 'b', 'c']);
    expect(report.status).toBe('succeeded');
    expect(report.output).toEqual({ greeting: 'HELLO WORLD' });
  });

  it('fans out to every target of a transition, in do order', () => {
    const wf = workflow(yaml`
      ref: demo.fanout
      tasks:
        a: {action: core.noop, next: [{do: [b, c, d]}]}
        b: {action: core.noop}
        c: {action: core.noop}
        d: {action: core.noop}
    `);
    const report = simulate(wf);
    expect(report.order).toEqual(['a', 'b', 'c', 'd']);
    expect(report.transitions[0].reached.map((r) => r.task)).toEqual(['b', 'c', 'd']);
  });

  it('join all runs the task once, after every inbound transition fired', () => {
    const wf = workflow(yaml`
      ref: demo.join
      tasks:
        a: {action: core.noop, next: [{do: [b, c]}]}
        b: {action: ci.slow, on_success: d}
        c: {action: ci.fast, on_success: d}
        d: {action: core.echo, input: {b: "{{ tasks.b.result }}", c: "{{ tasks.c.result }}"}, join: all}
    `);
    const report = simulate(wf, { results: { b: [{ result: 'B', after: '2m' }], c: [{ result: 'C', after: '1m' }] } });
    expect(report.order).toEqual(['a', 'b', 'c', 'd']);
    const d = report.runs.find((r) => r.task === 'd');
    expect(d).toMatchObject({ scheduledAt: '2000-01-01T00:02:00.000Z', result: { b: 'B', c: 'C' } });
    expect(report.transitions.find((t) => t.task === 'c')?.joins).toEqual([
      { task: 'd', arrived: ['c:on_success'], released: false, need: 2, inbound: 2 },
    ]);
  });

  it('join 2 of 3 runs the task once, when the second arrives; the third is absorbed', () => {
    const wf = workflow(yaml`
      ref: demo.join2
      tasks:
        a: {action: core.noop, next: [{do: [b, c, e]}]}
        b: {action: ext.b, on_success: d}
        c: {action: ext.c, on_success: d}
        e: {action: ext.e, on_success: d}
        d: {action: core.noop, join: 2}
    `);
    const report = simulate(wf, { results: { b: [{ result: 1, after: '1m' }], c: [{ result: 2, after: '2m' }], e: [{ result: 3, after: '3m' }] } });
    expect(report.order).toEqual(['a', 'b', 'c', 'e', 'd']);
    expect(report.runs.filter((r) => r.task === 'd')).toEqual([expect.objectContaining({ scheduledAt: '2000-01-01T00:02:00.000Z' })]);
    expect(report.transitions.find((t) => t.task === 'c')?.reached).toEqual([
      { task: 'd', activation: 1, via: 'c:on_success', joined: ['b:on_success', 'c:on_success'] },
    ]);
    expect(report.status).toBe('succeeded');
  });

  it('runs a task reached twice without join twice', () => {
    const wf = workflow(yaml`
      ref: demo.twice
      tasks:
        a: {action: core.noop, next: [{do: [b, c]}]}
        b: {action: core.noop, on_success: d}
        c: {action: core.noop, on_success: d}
        d: {action: core.noop}
    `);
    const report = simulate(wf);
    expect(report.order).toEqual(['a', 'b', 'c', 'd', 'd']);
    expect(report.runs.filter((r) => r.task === 'd').map((r) => r.runId)).toEqual(['sim.d.1', 'sim.d.2']);
  });

  it('leaves a cycle when its condition says so', () => {
    const wf = workflow(yaml`
      ref: demo.cycle
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
    `);
    const report = simulate(wf, { results: { poll: ['pending', 'pending', 'ready'] } });
    expect(report.order).toEqual(['poll', 'poll', 'poll', 'done']);
    expect(report.output).toEqual({ count: 2 });
    expect(report.transitions[2].evaluations.map((e) => e.outcome)).toEqual(['false', 'fired']);
  });

  it('stops a runaway cycle at max_task_runs with an error naming the task', () => {
    const wf = workflow(yaml`
      ref: demo.runaway
      limits: {max_task_runs: 5}
      start: spin
      tasks:
        spin: {action: core.noop, on_success: spin}
    `);
    const report = simulate(wf);
    expect(report.order).toEqual(['spin', 'spin', 'spin', 'spin', 'spin']);
    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'max_task_runs_exceeded', task: 'spin', message: expect.stringContaining('task "spin" reached max_task_runs (5)') });
  });

  it('runs with-items at most `concurrency` at a time and keeps results in item order', () => {
    const wf = workflow(yaml`
      ref: demo.items
      input: {regions: {type: array, default: [r0, r1, r2, r3, r4]}}
      output: {deployed: "{{ tasks.deploy.result }}"}
      tasks:
        deploy:
          action: deploy.region
          with: {items: "{{ parameters.regions }}", concurrency: 2}
          input: {region: "{{ item() }}", n: "{{ index() }}"}
    `);
    const durations = ['5m', '1m', '3m', '1m', '2m'];
    const report = simulate(wf, { results: { deploy: durations.map((after, i) => ({ result: `ok-${i}`, after })) } });
    expect(report.maxInFlight).toEqual({ deploy: 2 });
    expect(report.runs.map((r) => [r.item, r.scheduledAt.slice(11, 16)])).toEqual([
      [0, '00:00'], [1, '00:00'], [2, '00:01'], [3, '00:04'], [4, '00:05'],
    ]);
    expect(report.output).toEqual({ deployed: ['ok-0', 'ok-1', 'ok-2', 'ok-3', 'ok-4'] });
    expect(report.events.find((e) => e.type === 'TaskRunScheduled')?.data).toMatchObject({ input: { region: 'r0', n: 0 } });
  });

  it('retries with exponential backoff capped by max_delay, then takes on_failure', () => {
    const wf = workflow(yaml`
      ref: demo.retry
      tasks:
        build:
          action: ci.build
          retry: {count: 3, delay: 10s, backoff: exponential, max_delay: 30s}
          on_failure: cleanup
        cleanup: {action: core.echo, input: {why: "{{ tasks.build.error.message }}", attempts: "{{ tasks.build.attempts }}"}}
    `);
    const report = simulate(wf, { results: { build: ['a', 'b', 'c', 'd'].map((m) => ({ error: `boom ${m}` })) } });
    const builds = report.runs.filter((r) => r.task === 'build');
    expect(builds.map((r) => r.attempt)).toEqual([1, 2, 3, 4]);
    const delays = builds.slice(1).map((r, i) => ms(builds[i].scheduledAt, r.scheduledAt) / 1000);
    expect(delays).toEqual([10, 20, 30]);
    expect(report.order).toEqual(['build', 'cleanup']);
    expect(report.runs.at(-1)?.result).toEqual({ why: 'boom d', attempts: 4 });
    expect(report.status).toBe('succeeded');
  });

  it('fails an attempt that exceeds its timeout, with timedout() true', () => {
    const wf = workflow(yaml`
      ref: demo.timeout
      tasks:
        build:
          action: ci.build
          timeout: 10m
          next:
            - when: "{{ timedout() }}"
              publish: {reason: "{{ error().code }}"}
              do: noop
    `);
    const report = simulate(wf, { results: { build: [{ result: 'late', after: '1h' }] } });
    expect(report.runs[0]).toMatchObject({ outcome: 'timedout', error: { code: 'timeout' } });
    expect(report.vars).toEqual({ reason: 'timeout' });
    expect(report.status).toBe('succeeded');
    expect(report.endedAt).toBe('2000-01-01T00:10:00.000Z');
  });

  it('waits `delay` before the first attempt', () => {
    const wf = workflow(yaml`
      ref: demo.delay
      tasks:
        a: {action: core.noop, on_success: b}
        b: {action: core.noop, delay: 30s}
    `);
    const report = simulate(wf);
    expect(report.runs.map((r) => [r.task, r.scheduledAt])).toEqual([
      ['a', '2000-01-01T00:00:00.000Z'],
      ['b', '2000-01-01T00:00:30.000Z'],
    ]);
    expect(report.events.map((e) => e.type)).toContain('TimerScheduled');
  });

  it('sleeps durably with core.sleep', () => {
    const wf = workflow(yaml`
      ref: demo.sleep
      tasks:
        nap: {action: core.sleep, input: {duration: 2h}}
    `);
    const report = simulate(wf);
    expect(report).toMatchObject({ status: 'succeeded', endedAt: '2000-01-01T02:00:00.000Z' });
  });

  it('fails through the fail target after publishing, and still runs the other targets', () => {
    const wf = workflow(yaml`
      ref: demo.failtarget
      tasks:
        build:
          action: ci.build
          next:
            - when: "{{ failed() }}"
              publish: {reason: "{{ error().message }}"}
              do: [notify, fail]
        notify: {action: core.echo, input: {text: "failed: {{ vars.reason }}"}}
    `);
    const report = simulate(wf, { results: { build: [{ error: 'compiler exploded' }] } });
    expect(report.order).toEqual(['build', 'notify']);
    expect(report.runs[1].result).toEqual({ text: 'failed: compiler exploded' });
    expect(report.vars).toEqual({ reason: 'compiler exploded' });
    expect(report).toMatchObject({ status: 'failed', error: { code: 'fail_transition', task: 'build' } });
  });

  it('fails the execution on a run-time expression error, naming the task and the expression', () => {
    const wf = workflow(yaml`
      ref: demo.exprerror
      tasks:
        build:
          action: ci.build
          next:
            - publish: {image: "{{ result().image }}"}
              do: deploy
        deploy: {action: core.noop}
    `);
    const report = simulate(wf, { results: { build: [{ tag: 'v1' }] } });
    expect(report.status).toBe('failed');
    expect(report.error?.code).toBe('expression_error');
    expect(report.error?.message).toBe('task "build", next[0].publish.image: expression "{{ result().image }}" failed: No such key: image');
    expect(report.transitions[0].evaluations).toEqual([
      { transition: 'next[0]', when: 'succeeded()', outcome: 'error', message: 'No such key: image' },
    ]);
    expect(report.order).toEqual(['build']);
  });

  it('fails an unsatisfiable join with unsatisfiable_join, naming the join and what is missing', () => {
    const wf = workflow(yaml`
      ref: demo.unsatisfiable
      tasks:
        a:
          action: core.noop
          next:
            - {when: "{{ false }}", do: b}
            - {do: c}
        b: {action: core.noop, on_success: d}
        c: {action: core.noop, on_success: d}
        d: {action: core.noop, join: all}
    `);
    const report = simulate(wf);
    expect(report.order).toEqual(['a', 'c']);
    expect(report.error).toMatchObject({
      code: 'unsatisfiable_join',
      task: 'd',
      message: 'join "d" (all of 2) can no longer be satisfied: arrived from c:on_success; missing b:on_success, which can no longer fire',
    });
  });

  it('fails fast: no new task after an unhandled failure, while a running branch finishes', () => {
    const wf = workflow(yaml`
      ref: demo.failfast
      tasks:
        start: {action: core.noop, next: [{do: [quick, slow]}]}
        quick: {action: ext.quick}
        slow: {action: ext.slow, on_success: after}
        after: {action: core.noop}
    `);
    const report = simulate(wf, { results: { quick: [{ error: 'broken' }], slow: [{ result: 'done', after: '5m' }] } });
    expect(report.order).toEqual(['start', 'quick', 'slow']);
    expect(report.runs.find((r) => r.task === 'slow')?.outcome).toBe('succeeded');
    expect(report.transitions.find((t) => t.task === 'slow')?.evaluations).toEqual([
      { transition: 'on_success', when: 'succeeded()', outcome: 'skipped', message: 'not evaluated: the execution is failing' },
    ]);
    expect(report).toMatchObject({ status: 'failed', endedAt: '2000-01-01T00:05:00.000Z', error: { code: 'task_failed', task: 'quick' } });
    expect(report.events.map((e) => e.type)).toContain('ExecutionFailing');
  });
});
