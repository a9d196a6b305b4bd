import { given, T0, workflow, yaml } from '../testing';
import { nextActions } from './next-actions';

const start = { type: 'StartExecution', executionId: 'e1', actor: 'alice' } as const;
const claim = (runId: string) => ({ type: 'StartTaskRun', runId, fencingToken: 1 }) as const;
const complete = (runId: string) => ({ type: 'CompleteTaskRun', runId, fencingToken: 1, result: null }) as const;
const fail = (runId: string) => ({ type: 'FailTaskRun', runId, fencingToken: 1, error: 'broken' }) as const;

const wf = workflow(yaml`
  ref: demo.controls
  limits: {timeout: 1h}
  tasks:
    a: {action: ext.a, on_success: b}
    b: {action: ext.b}
`);

describe('pause and resume', () => {
  it('pauses at once when nothing runs, and waits for running runs otherwise', () => {
    given(wf, start).when({ type: 'PauseExecution', actor: 'ops' }).thenTypes(['ExecutionPausing', 'ExecutionPaused']);
    given(wf, start, claim('e1.a.1')).when({ type: 'PauseExecution', actor: 'ops' }).thenTypes(['ExecutionPausing']);
    given(wf, start, claim('e1.a.1'), { type: 'PauseExecution', actor: 'ops' }).when(complete('e1.a.1'))
      .thenTypes(['TaskRunSucceeded', 'TransitionsEvaluated', 'TaskRunScheduled', 'ExecutionPaused']);
  });

  it('dispatches nothing while paused, and no claim is accepted', () => {
    const paused = given(wf, start, { type: 'PauseExecution', actor: 'ops' });
    expect(nextActions(paused.state).dispatch).toEqual([]);
    paused.when(claim('e1.a.1')).thenError('invalid_transition', 'the execution is paused');
    const resumed = given(wf, start, { type: 'PauseExecution', actor: 'ops' }, { type: 'ResumeExecution', actor: 'ops' });
    expect(nextActions(resumed.state).dispatch.map((r) => r.runId)).toEqual(['e1.a.1']);
  });

  it('is idempotent, and rejects pausing what is not running', () => {
    given(wf, start, { type: 'PauseExecution', actor: 'ops' }).when({ type: 'PauseExecution', actor: 'ops' }).thenNothing();
    given(wf, start).when({ type: 'ResumeExecution', actor: 'ops' }).thenNothing();
    const error = given(wf, start, fail('e1.a.1')).when({ type: 'PauseExecution', actor: 'ops' }).thenError('invalid_transition', 'cannot pause: the execution is failed');
    expect(error.details).toEqual({ state: 'failed', allowed: ['running'] });
  });
});

describe('cancel', () => {
  it('cancels scheduled runs and ends canceled', () => {
    given(wf, start).when({ type: 'CancelExecution', actor: 'ops', reason: 'oops' }).then([
      { type: 'ExecutionCanceling', data: { actor: 'ops', reason: 'oops' } },
      { type: 'TaskRunCanceled', data: { runId: 'e1.a.1', attempt: 1, reason: 'execution canceled' } },
      { type: 'ExecutionCanceled', data: {} },
    ]);
  });

  it('lets a running run finish, then ends canceled', () => {
    given(wf, start, claim('e1.a.1'), { type: 'CancelExecution', actor: 'ops' }).when(complete('e1.a.1'))
      .thenTypes(['TaskRunSucceeded', 'TransitionsEvaluated', 'ExecutionCanceled']);
  });
});

describe('execution timeout', () => {
  it('stops everything: runs are canceled and a late completion is stale', () => {
    const late = new Date(Date.parse(T0) + 3_600_000).toISOString();
    given(wf, start, claim('e1.a.1')).when({ type: 'FireTimer', timerId: 'e1.timeout', now: late }).then([
      { type: 'TimerFired', data: { timerId: 'e1.timeout', purpose: 'execution_timeout' } },
      { type: 'ExecutionFailing', data: { error: expect.objectContaining({ code: 'execution_timeout' }) } },
      { type: 'TaskRunCanceled', data: { runId: 'e1.a.1', attempt: 1, reason: 'execution_timeout' } },
      { type: 'ExecutionFailed', data: { error: expect.objectContaining({ code: 'execution_timeout' }) } },
    ]);
    given(wf, start, claim('e1.a.1'), { type: 'FireTimer', timerId: 'e1.timeout' }).when(complete('e1.a.1')).thenError('version_conflict');
  });
});

describe('retry of a failed execution', () => {
  it('re-runs the failed task as a new activation and re-arms the timeout', () => {
    given(wf, start, complete('e1.a.1'), fail('e1.b.1')).when({ type: 'RetryExecution', actor: 'ops' }).then([
      { type: 'ExecutionRetried', data: { actor: 'ops', tasks: ['b'], reached: [{ task: 'b', activation: 2, via: 'retry', retryOf: 1 }], reevaluate: [] } },
      { type: 'TimerScheduled', data: { timerId: 'e1.timeout.1', dueAt: '2024-01-01T01:00:00.000Z', purpose: 'execution_timeout' } },
      expect.objectContaining({ type: 'TaskRunScheduled', data: expect.objectContaining({ runId: 'e1.b.2', attempt: 1 }) }),
    ]);
  });

  it('re-runs the tasks the caller names', () => {
    given(wf, start, complete('e1.a.1'), fail('e1.b.1')).when({ type: 'RetryExecution', actor: 'ops', tasks: ['a'] })
      .thenIncludes([{ type: 'ExecutionRetried', data: { tasks: ['a'], reached: [{ task: 'a', activation: 2, via: 'retry' }] } }]);
  });

  it('is only for failed executions and known tasks', () => {
    given(wf, start).when({ type: 'RetryExecution', actor: 'ops' }).thenError('invalid_transition', 'cannot retry: the execution is running');
    given(wf, start, fail('e1.a.1')).when({ type: 'RetryExecution', actor: 'ops', tasks: ['zzz'] }).thenError('validation_failed', 'no task named zzz');
  });
});

describe('nextActions', () => {
  it('lists runs to dispatch, timers to arm, inquiries and children', () => {
    const mixed = workflow(yaml`
      ref: demo.next
      tasks:
        go: {action: ext.go, input: {k: "{{ secrets.key }}"}, timeout: 5m, heartbeat: 30s, next: [{do: [ask, child]}]}
        ask: {action: core.inquiry, input: {prompt: "?", roles: [lead]}}
        child: {action: demo.other}
    `, { resolveWorkflowRef: (ref) => ref === 'demo.other' });
    const first = given(mixed, start);
    expect(nextActions(first.state)).toEqual({
      status: 'running',
      done: false,
      dispatch: [{
        runId: 'e1.go.1', task: 'go', action: 'ext.go', attempt: 1, fencingToken: 1, idempotencyKey: 'e1.go.1',
        input: { k: { $secret: { expression: 'secrets.key' } } }, timeoutMs: 300_000, heartbeatMs: 30_000,
      }],
      timers: [{ timerId: 'e1.go.1.timeout.1', dueAt: '2024-01-01T00:05:00.000Z', purpose: 'timeout', runId: 'e1.go.1' }],
      inquiries: [],
      children: [],
    });
    const later = given(mixed, start, complete('e1.go.1'));
    expect(nextActions(later.state)).toMatchObject({
      dispatch: [],
      timers: [],
      inquiries: [{ runId: 'e1.ask.1', task: 'ask', attempt: 1, prompt: '?', roles: ['lead'] }],
      children: [{ runId: 'e1.child.1', childExecutionId: 'e1.child.1@1', workflow: 'demo.other', cancelRequested: false }],
    });
  });
});

describe('retry into child executions', () => {
  it('asks the runtime to retry the failed child rather than start a new one', () => {
    const parent = workflow(yaml`
      ref: demo.parent
      tasks:
        child: {action: demo.child, input: {n: 1}}
    `, { resolveWorkflowRef: () => true });
    given(parent, start, fail('e1.child.1')).when({ type: 'RetryExecution', actor: 'ops' }).thenIncludes([
      { type: 'ExecutionRetried', data: { tasks: ['child'], reached: [{ task: 'child', activation: 2, via: 'retry', retryOf: 1 }] } },
      { type: 'TaskRunScheduled', data: { runId: 'e1.child.2', kind: 'workflow' } },
      { type: 'ChildExecutionRetryRequested', data: { runId: 'e1.child.2', attempt: 1, childExecutionId: 'e1.child.1@1' } },
    ]);
  });
});
