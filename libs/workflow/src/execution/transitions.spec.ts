import { given, workflow, yaml } from '../testing';
import { arrive } from './joins';

const start = { type: 'StartExecution', executionId: 'e1', actor: 'alice' } as const;
const complete = (runId: string, result: unknown = null) => ({ type: 'CompleteTaskRun', runId, fencingToken: 1, result }) as const;
const fail = (runId: string, error: unknown = 'broken') => ({ type: 'FailTaskRun', runId, fencingToken: 1, error }) as const;

describe('transitions: every transition whose when holds fires, in order', () => {
  const wf = workflow(yaml`
    ref: demo.transitions
    vars: {level: 1}
    tasks:
      check:
        action: ext.check
        next:
          - when: "{{ result().score > 5 }}"
            publish: {level: "{{ vars.level + 1 }}", seen: first}
            do: [high, noop]
          - when: "{{ result().score > 1 && vars.level == 1 }}"
            publish: {seen: second}
            do: medium
          - when: "{{ result().score > 100 }}"
            do: huge
      high: {action: ext.x}
      medium: {action: ext.x}
      huge: {action: ext.x}
  `);

  it('fires all that hold, publishes in order (last wins), and every when sees the vars of the task end', () => {
    given(wf, start).when(complete('e1.check.1', { score: 7 })).thenIncludes([
      {
        type: 'TransitionsEvaluated',
        data: {
          task: 'check',
          outcome: 'succeeded',
          evaluations: [
            { transition: 'next[0]', when: '{{ result().score > 5 }}', outcome: 'fired' },
            { transition: 'next[1]', when: '{{ result().score > 1 && vars.level == 1 }}', outcome: 'fired' },
            { transition: 'next[2]', when: '{{ result().score > 100 }}', outcome: 'false' },
          ],
          reached: [
            { task: 'high', activation: 1, via: 'check:next[0]' },
            { task: 'medium', activation: 1, via: 'check:next[1]' },
          ],
        },
      },
      { type: 'VariablesPublished', data: { vars: { level: 2, seen: 'second' } } },
      { type: 'TaskRunScheduled', data: { task: 'high' } },
      { type: 'TaskRunScheduled', data: { task: 'medium' } },
    ]);
  });

  it('records why nothing happened after a task', () => {
    given(wf, start).when(complete('e1.check.1', { score: 0 }))
      .thenTypes(['TaskRunSucceeded', 'TransitionsEvaluated', 'ExecutionSucceeded'])
      .thenIncludes([{ type: 'TransitionsEvaluated', data: { evaluations: [{ outcome: 'false' }, { outcome: 'false' }, { outcome: 'false' }], reached: [] } }]);
  });

  it('fails the execution when a when errors, naming task, transition and expression', () => {
    given(wf, start).when(complete('e1.check.1', { other: 1 })).thenIncludes([
      { type: 'TransitionsEvaluated', data: { evaluations: [{ outcome: 'error', message: 'No such key: score' }, { outcome: 'skipped' }, { outcome: 'skipped' }] } },
      {
        type: 'ExecutionFailed',
        data: { error: { code: 'expression_error', task: 'check', message: 'task "check", next[0].when: expression "{{ result().score > 5 }}" failed: No such key: score' } },
      },
    ]);
  });

  it('a missing when means succeeded(): a failure it does not handle fails the execution', () => {
    const seq = workflow(yaml`
      ref: demo.default
      tasks:
        a: {action: ext.a, next: [{do: b}]}
        b: {action: ext.b}
    `);
    given(seq, start).when(fail('e1.a.1')).then([
      { type: 'TaskRunFailed', data: { runId: 'e1.a.1', attempt: 1, error: { code: 'error', message: 'broken' }, retrying: false } },
      {
        type: 'TransitionsEvaluated',
        data: { task: 'a', activation: 1, outcome: 'failed', evaluations: [{ transition: 'next[0]', when: 'succeeded()', outcome: 'false' }], reached: [], joins: [] },
      },
      {
        type: 'ExecutionFailing',
        data: { error: { code: 'task_failed', message: 'task "a" failed and no transition handled it: broken', task: 'a', details: { error: { code: 'error', message: 'broken' } } } },
      },
      {
        type: 'ExecutionFailed',
        data: { error: { code: 'task_failed', message: 'task "a" failed and no transition handled it: broken', task: 'a', details: { error: { code: 'error', message: 'broken' } } } },
      },
    ]);
  });

  it('fail publishes first, then fails', () => {
    const wf2 = workflow(yaml`
      ref: demo.fail
      tasks:
        a: {action: ext.a, next: [{publish: {why: "{{ result() }}"}, do: fail}]}
    `);
    given(wf2, start).when(complete('e1.a.1', 'giving up')).thenTypes([
      'TaskRunSucceeded', 'TransitionsEvaluated', 'VariablesPublished', 'ExecutionFailing', 'ExecutionFailed',
    ]).thenIncludes([{ type: 'VariablesPublished', data: { vars: { why: 'giving up' } } }, { type: 'ExecutionFailed', data: { error: { code: 'fail_transition' } } }]);
  });
});

describe('joins', () => {
  it('join all releases once every inbound transition arrived, then starts afresh', () => {
    const first = arrive({ arrived: [], released: false }, 'a:x', 2, 2);
    expect(first).toEqual({ join: { arrived: ['a:x'], released: false }, release: false, arrived: ['a:x'] });
    expect(arrive(first.join, 'a:x', 2, 2).release).toBe(false);
    expect(arrive(first.join, 'b:x', 2, 2)).toEqual({ join: { arrived: [], released: false }, release: true, arrived: ['a:x', 'b:x'] });
  });

  it('join N absorbs the late arrivals of its generation; a repeat opens the next one', () => {
    const released = arrive({ arrived: ['a:x'], released: false }, 'b:x', 2, 3);
    expect(released).toEqual({ join: { arrived: ['a:x', 'b:x'], released: true }, release: true, arrived: ['a:x', 'b:x'] });
    expect(arrive(released.join, 'c:x', 2, 3)).toEqual({ join: { arrived: [], released: false }, release: false, arrived: ['a:x', 'b:x', 'c:x'] });
    expect(arrive(released.join, 'a:x', 2, 3)).toEqual({ join: { arrived: ['a:x'], released: false }, release: false, arrived: ['a:x'] });
  });

  const wf = workflow(yaml`
    ref: demo.join
    tasks:
      a: {action: ext.a, next: [{do: [b, c]}]}
      b: {action: ext.b, on_success: d}
      c:
        action: ext.c
        next: [{when: "{{ result() == 'go' }}", do: d}]
      d: {action: ext.d, join: all}
  `);

  it('waits while a missing inbound task can still fire', () => {
    given(wf, start, complete('e1.a.1')).when(complete('e1.b.1')).thenIncludes([
      { type: 'TransitionsEvaluated', data: { task: 'b', reached: [], joins: [{ task: 'd', arrived: ['b:on_success'], released: false, need: 2, inbound: 2 }] } },
    ]);
  });

  it('fails with unsatisfiable_join as soon as the missing one can no longer fire', () => {
    given(wf, start, complete('e1.a.1'), complete('e1.b.1')).when(complete('e1.c.1', 'stop')).thenIncludes([
      { type: 'ExecutionFailing', data: { error: { code: 'unsatisfiable_join', task: 'd', details: { join: 'd', need: 2, arrived: ['b:on_success'], missing: ['c:next[0]'] } } } },
      { type: 'ExecutionFailed' },
    ]);
  });

  it('runs the join task once both arrived', () => {
    given(wf, start, complete('e1.a.1'), complete('e1.b.1')).when(complete('e1.c.1', 'go')).thenIncludes([
      { type: 'TransitionsEvaluated', data: { reached: [{ task: 'd', activation: 1, via: 'c:next[0]', joined: ['b:on_success', 'c:next[0]'] }] } },
      { type: 'TaskRunScheduled', data: { runId: 'e1.d.1' } },
    ]);
  });
});

describe('fail-fast', () => {
  const wf = workflow(yaml`
    ref: demo.failfast
    tasks:
      a: {action: ext.a, next: [{do: [b, c, d]}]}
      b: {action: ext.b}
      c: {action: ext.c, on_success: e}
      d: {action: ext.d, retry: {count: 1, delay: 1m}}
      e: {action: ext.e}
  `);
  const history = [start, complete('e1.a.1'), { type: 'StartTaskRun', runId: 'e1.c.1', fencingToken: 1 } as const, fail('e1.d.1')];

  it('turns failing on an unhandled failure: waiting runs are canceled, running ones go on', () => {
    given(wf, ...history).when(fail('e1.b.1')).thenTypes([
      'TaskRunFailed', 'TransitionsEvaluated', 'ExecutionFailing', 'TaskRunCanceled',
    ]).thenIncludes([{ type: 'TaskRunCanceled', data: { runId: 'e1.d.1', reason: 'execution failing' } }]);
  });

  it('schedules nothing new when a running run ends meanwhile, then fails', () => {
    given(wf, ...history, fail('e1.b.1')).when(complete('e1.c.1')).then([
      { type: 'TaskRunSucceeded', data: { runId: 'e1.c.1', attempt: 1, result: null } },
      {
        type: 'TransitionsEvaluated',
        data: {
          task: 'c', activation: 1, outcome: 'succeeded', reached: [], joins: [],
          evaluations: [{ transition: 'on_success', when: 'succeeded()', outcome: 'skipped', message: 'not evaluated: the execution is failing' }],
        },
      },
      { type: 'ExecutionFailed', data: { error: expect.objectContaining({ code: 'task_failed', task: 'b' }) } },
    ]);
  });
});
