import { resolveSecrets } from '../secrets/marker';
import { given, T0, workflow, yaml } from '../testing';

const start = (parameters: Record<string, unknown> = {}) =>
  ({ type: 'StartExecution', executionId: 'e1', parameters, actor: 'alice', version: 3 }) as const;
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

describe('execution decider: starting', () => {
  const wf = workflow(yaml`
    ref: demo.start
    input:
      customer: {type: string, required: true}
      tier: {type: string, enum: [free, paid], default: free}
    vars: {label: "{{ upper(parameters.customer) }}-{{ system.version }}"}
    search: {customer: "{{ parameters.customer }}"}
    limits: {timeout: 1h}
    tasks:
      call:
        action: ext.call
        input: {who: "{{ vars.label }}", auth: "Bearer {{ secrets.token }}", tier: "{{ parameters.tier }}"}
  `);

  it('checks parameters against the input schema', () => {
    given(wf).when(start({ tier: 'gold' })).thenError('validation_failed', 'parameters do not match the input of demo.start');
  });

  it('fills defaults, computes vars and search, arms the timeout and schedules the entry task', () => {
    given(wf).when(start({ customer: 'acme' })).then([
      {
        type: 'ExecutionStarted',
        data: {
          executionId: 'e1', workflow: 'demo.start', version: 3, parameters: { customer: 'acme', tier: 'free' },
          vars: { label: 'ACME-3' }, search: { customer: 'acme' }, actor: 'alice', depth: 0, startedAt: T0,
          reached: [{ task: 'call', activation: 1, via: 'start' }],
        },
      },
      { type: 'TimerScheduled', data: { timerId: 'e1.timeout', dueAt: at(3600), purpose: 'execution_timeout' } },
      {
        type: 'TaskRunScheduled',
        data: {
          runId: 'e1.call.1', task: 'call', activation: 1, item: undefined, attempt: 1, action: 'ext.call', kind: 'action',
          input: { who: 'ACME-3', auth: { $secret: { template: ['Bearer ', { expression: 'secrets.token' }] } }, tier: 'free' },
          idempotencyKey: 'e1.call.1', fencingToken: 1, timeoutMs: undefined, heartbeatMs: undefined,
        },
      },
    ]);
  });

  it('never renders secrets: the dispatcher resolves the marker', () => {
    const { events } = given(wf).when(start({ customer: 'acme' }));
    const scheduled = events.find((e) => e.type === 'TaskRunScheduled');
    expect(JSON.stringify(events)).not.toContain('s3cr3t');
    expect(resolveSecrets((scheduled?.data as { input: unknown }).input, { token: 's3cr3t' })).toEqual({ who: 'ACME-3', auth: 'Bearer s3cr3t', tier: 'free' });
  });

  it('starts once: the same start again appends nothing', () => {
    given(wf, start({ customer: 'acme' })).when(start({ customer: 'acme' })).thenNothing();
  });

  it('rejects commands for an execution that has not started', () => {
    given(wf).when({ type: 'PauseExecution', actor: 'bob' }).thenError('not_found');
  });
});

describe('execution decider: attempts, fencing tokens and retries', () => {
  const wf = workflow(yaml`
    ref: demo.attempts
    tasks:
      build:
        action: ci.build
        timeout: 10m
        retry: {count: 2, delay: 5s, backoff: exponential, when: "{{ error().code != 'fatal' }}"}
  `);
  const begun = [start(), { type: 'StartTaskRun', runId: 'e1.build.1', fencingToken: 1, worker: 'w1' } as const];

  it('records a claim, and a repeated claim changes nothing', () => {
    given(wf, start()).when({ type: 'StartTaskRun', runId: 'e1.build.1', fencingToken: 1, worker: 'w1' })
      .then([{ type: 'TaskRunStarted', data: { runId: 'e1.build.1', attempt: 1, worker: 'w1' } }]);
    given(wf, ...begun).when({ type: 'StartTaskRun', runId: 'e1.build.1', fencingToken: 1 }).thenNothing();
  });

  it('retries a failed attempt after the backoff delay, with a new fencing token', () => {
    const failed = given(wf, ...begun).when({ type: 'FailTaskRun', runId: 'e1.build.1', fencingToken: 1, error: 'flaky', now: at(60) });
    failed.then([
      { type: 'TaskRunFailed', data: { runId: 'e1.build.1', attempt: 1, error: { code: 'error', message: 'flaky' }, retrying: true } },
      { type: 'TimerScheduled', data: { timerId: 'e1.build.1.retry.2', dueAt: at(65), purpose: 'retry', runId: 'e1.build.1', attempt: 2 } },
    ]);
    given(wf, ...begun, { type: 'FailTaskRun', runId: 'e1.build.1', fencingToken: 1, error: 'flaky', now: at(60) })
      .when({ type: 'FireTimer', timerId: 'e1.build.1.retry.2', now: at(65) })
      .thenIncludes([
        { type: 'TimerFired', data: { timerId: 'e1.build.1.retry.2', purpose: 'retry' } },
        { type: 'TaskRunScheduled', data: { runId: 'e1.build.1', attempt: 2, fencingToken: 2, idempotencyKey: 'e1.build.1' } },
        { type: 'TimerScheduled', data: { timerId: 'e1.build.1.timeout.2', purpose: 'timeout' } },
      ]);
  });

  it('does not retry when retry.when is false, and the unhandled failure fails the execution', () => {
    given(wf, ...begun).when({ type: 'FailTaskRun', runId: 'e1.build.1', fencingToken: 1, error: { code: 'fatal', message: 'no' } })
      .thenTypes(['TaskRunFailed', 'TransitionsEvaluated', 'ExecutionFailing', 'ExecutionFailed'])
      .thenIncludes([{ type: 'ExecutionFailed', data: { error: { code: 'task_failed', task: 'build', message: 'task "build" failed and no transition handled it: no' } } }]);
  });

  it('fires a timer once: again, it changes nothing', () => {
    const failed = { type: 'FailTaskRun', runId: 'e1.build.1', fencingToken: 1, error: 'flaky' } as const;
    const fired = { type: 'FireTimer', timerId: 'e1.build.1.retry.2' } as const;
    given(wf, ...begun, failed, fired).when(fired).thenNothing();
  });

  it('times an attempt out, and rejects the stale worker that completes it later', () => {
    const timedOut = given(wf, ...begun).when({ type: 'FireTimer', timerId: 'e1.build.1.timeout.1', now: at(600) });
    timedOut.thenIncludes([
      { type: 'TaskRunTimedOut', data: { runId: 'e1.build.1', attempt: 1, error: { code: 'timeout' }, retrying: true } },
      { type: 'TimerScheduled', data: { purpose: 'retry', attempt: 2, dueAt: at(605) } },
    ]);
    const error = given(wf, ...begun, { type: 'FireTimer', timerId: 'e1.build.1.timeout.1', now: at(600) })
      .when({ type: 'CompleteTaskRun', runId: 'e1.build.1', fencingToken: 1, result: 'late' })
      .thenError('version_conflict', 'stale fencing token 1 for task run e1.build.1');
    expect(error.details).toMatchObject({ reason: 'stale_fencing_token', expected: 1, actual: 1 });
  });

  it('ignores the timeout of an attempt that already ended, and a repeated completion', () => {
    const done = { type: 'CompleteTaskRun', runId: 'e1.build.1', fencingToken: 1, result: 'ok' } as const;
    given(wf, ...begun, done).when({ type: 'FireTimer', timerId: 'e1.build.1.timeout.1' }).thenNothing();
    given(wf, ...begun, done).when(done).thenNothing();
    given(wf, ...begun, done).when({ type: 'FailTaskRun', runId: 'e1.build.1', fencingToken: 1, error: 'x' }).thenError('version_conflict');
  });

  it('accepts a duplicate completion of a still-running execution without new events', () => {
    const twoTasks = workflow(yaml`
      ref: demo.dup
      tasks:
        a: {action: ext.a, next: [{do: [b, c]}]}
        b: {action: ext.b}
        c: {action: ext.c}
    `);
    const done = { type: 'CompleteTaskRun', runId: 'e1.a.1', fencingToken: 1, result: 1 } as const;
    given(twoTasks, start(), done).when(done).thenNothing();
    given(twoTasks, start()).when({ type: 'CompleteTaskRun', runId: 'e1.zzz.1', fencingToken: 1 }).thenError('not_found');
  });
});

describe('execution decider: with-items, inquiries, children, limits', () => {
  it('schedules items in chunks of at most `concurrency`', () => {
    const wf = workflow(yaml`
      ref: demo.items
      tasks:
        t: {action: ext.t, with: {items: [a, b, c, d, e], concurrency: 2}, input: {x: "{{ item() }}"}}
    `);
    const started = given(wf).when(start());
    expect(started.events.filter((e) => e.type === 'TaskRunScheduled').map((e) => (e.data as { runId: string }).runId)).toEqual(['e1.t.1.0', 'e1.t.1.1']);
    given(wf, start()).when({ type: 'CompleteTaskRun', runId: 'e1.t.1.1', fencingToken: 1, result: 'B' })
      .thenTypes(['TaskRunSucceeded', 'TaskRunScheduled'])
      .thenIncludes([{ type: 'TaskRunScheduled', data: { runId: 'e1.t.1.2', item: 2, input: { x: 'c' } } }]);
  });

  it('fails the execution when with.items is longer than max_items', () => {
    const wf = workflow(yaml`
      ref: demo.toomany
      limits: {max_items: 2}
      tasks:
        t: {action: ext.t, with: {items: [1, 2, 3]}}
    `);
    given(wf).when(start()).thenIncludes([
      { type: 'ExecutionFailed', data: { error: { code: 'max_items_exceeded', task: 't' } } },
    ]);
  });

  const inquiry = workflow(yaml`
    ref: demo.inquiry
    tasks:
      ask:
        action: core.inquiry
        input: {prompt: "Ship?", roles: [release-manager], schema: {type: object, properties: {ok: {type: boolean}}, required: [ok]}}
  `);

  it('waits for an answer from a caller with the role, matching the schema', () => {
    given(inquiry).when(start()).thenIncludes([
      { type: 'TaskRunScheduled', data: { kind: 'inquiry' } },
      { type: 'InquiryRequested', data: { runId: 'e1.ask.1', prompt: 'Ship?', roles: ['release-manager'] } },
    ]);
    const answer = { type: 'AnswerInquiry', task: 'ask', answer: { ok: true }, actor: 'rita', roles: ['release-manager'] } as const;
    given(inquiry, start()).when({ ...answer, roles: ['member'] }).thenError('forbidden', 'needs one of the roles: release-manager');
    given(inquiry, start()).when({ ...answer, answer: { ok: 'yes' } }).thenError('validation_failed', '/ok must be boolean');
    given(inquiry, start()).when(answer).thenTypes(['InquiryAnswered', 'TransitionsEvaluated', 'ExecutionSucceeded']);
    given(inquiry, start(), answer).when(answer).thenError('not_found');
  });

  it('asks the runtime to start a child execution, and to cancel it with the parent', () => {
    const wf = workflow(yaml`
      ref: demo.parent
      tasks:
        child: {action: demo.child, input: {n: "{{ 1 + 1 }}"}}
    `, { resolveWorkflowRef: () => true });
    given(wf).when(start()).thenIncludes([
      { type: 'TaskRunScheduled', data: { kind: 'workflow', action: 'demo.child' } },
      { type: 'ChildExecutionRequested', data: { childExecutionId: 'e1.child.1@1', workflow: 'demo.child', parameters: { n: 2 }, depth: 1 } },
    ]);
    given(wf, start()).when({ type: 'CancelExecution', actor: 'bob' }).then([
      { type: 'ExecutionCanceling', data: { actor: 'bob', reason: undefined } },
      { type: 'ChildExecutionCancelRequested', data: { runId: 'e1.child.1', childExecutionId: 'e1.child.1@1' } },
    ]);
    given(wf, start(), { type: 'CancelExecution', actor: 'bob' })
      .when({ type: 'FailTaskRun', runId: 'e1.child.1', fencingToken: 1, error: { code: 'canceled', message: 'child canceled' } })
      .thenTypes(['TaskRunFailed', 'TransitionsEvaluated', 'ExecutionCanceled']);
  });

  it('refuses to nest executions deeper than 10', () => {
    const wf = workflow(yaml`
      ref: demo.deep
      tasks:
        child: {action: demo.deep}
    `);
    given(wf).when({ ...start(), parent: { executionId: 'p', runId: 'p.child.1', depth: 10 } }).thenIncludes([
      { type: 'TaskRunFailed', data: { error: { code: 'max_depth_exceeded' } } },
      { type: 'ExecutionFailed' },
    ]);
    given(wf).when({ ...start(), parent: { executionId: 'p', runId: 'p.child.1', depth: 11 } }).thenError('validation_failed');
  });

  it('warns at 80% of max_events, once', () => {
    const wf = workflow(yaml`
      ref: demo.events
      limits: {max_events: 10}
      start: a
      tasks:
        a: {action: ext.a, on_success: a}
    `);
    const done = (n: number) => ({ type: 'CompleteTaskRun', runId: `e1.a.${n}`, fencingToken: 1 }) as const;
    given(wf, start(), done(1)).when(done(2)).thenIncludes([{ type: 'ExecutionLimitWarning', data: { limit: 'max_events', count: 8, max: 10 } }]);
    given(wf, start(), done(1), done(2)).when(done(3)).thenIncludes([
      { type: 'ExecutionFailing', data: { error: { code: 'max_events_exceeded' } } },
      { type: 'TaskRunCanceled', data: { runId: 'e1.a.4' } },
      { type: 'ExecutionFailed' },
    ]);
  });
});

describe('execution decider: run-time expression errors', () => {
  it('fails the execution when an input does not render, naming task and expression', () => {
    const wf = workflow(yaml`
      ref: demo.inputerror
      input: {cfg: {type: object, default: {}}}
      tasks:
        call: {action: ext.call, input: {url: "https://{{ parameters.cfg.host }}/x"}}
    `);
    given(wf).when(start()).thenTypes(['ExecutionStarted', 'ExecutionFailing', 'ExecutionFailed']).thenIncludes([
      { type: 'ExecutionFailed', data: { error: { code: 'expression_error', task: 'call', message: 'task "call", input: expression "{{ parameters.cfg.host }}" failed: No such key: host' } } },
    ]);
  });

  it('fails the execution when with.items is not a list', () => {
    const wf = workflow(yaml`
      ref: demo.itemserror
      input: {xs: {default: 3}}
      tasks:
        t: {action: ext.t, with: {items: "{{ parameters.xs }}"}}
    `);
    given(wf).when(start()).thenIncludes([
      { type: 'ExecutionFailed', data: { error: { code: 'expression_error', message: 'task "t", with.items: expression "{{ parameters.xs }}" failed: yielded 3, not a list' } } },
    ]);
  });
});
