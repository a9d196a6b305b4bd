import { workflow, yaml } from '../testing';
import { Simulation, simulate } from './simulate';

describe('simulation: controls, inquiries and child workflows', () => {
  const sequence = workflow(yaml`
    ref: demo.controls
    tasks:
      a: {action: ext.a, on_success: b}
      b: {action: ext.b, on_success: c}
      c: {action: ext.c}
  `);

  it('pause holds new dispatch until resume; the running run finishes meanwhile', () => {
    const sim = new Simulation(sequence, { results: { a: [{ result: 'A', after: '1m' }] } }).start();
    sim.run((s) => s.events.some((e) => e.type === 'TaskRunStarted'));
    sim.send({ type: 'PauseExecution', actor: 'ops' });
    expect(sim.state.status).toBe('pausing');
    sim.run();
    expect(sim.state.status).toBe('paused');
    expect(sim.report().runs.map((r) => [r.task, r.outcome])).toEqual([['a', 'succeeded'], ['b', 'pending']]);
    expect(sim.events.filter((e) => e.type === 'TaskRunStarted')).toHaveLength(1);

    sim.send({ type: 'ResumeExecution', actor: 'ops' });
    sim.run();
    expect(sim.report()).toMatchObject({ status: 'succeeded', order: ['a', 'b', 'c'] });
    expect(sim.events.map((e) => e.type).filter((t) => t.startsWith('Execution'))).toEqual([
      'ExecutionStarted', 'ExecutionPausing', 'ExecutionPaused', 'ExecutionResumed', 'ExecutionSucceeded',
    ]);
  });

  it('retries a failed execution from the failed task, keeping what succeeded', () => {
    const sim = new Simulation(sequence, { results: { a: ['A'], b: [{ error: 'flaky' }] } }).start().run();
    expect(sim.report()).toMatchObject({ status: 'failed', error: { code: 'task_failed', task: 'b' } });

    sim.addResults({ b: ['B'] });
    sim.send({ type: 'RetryExecution', actor: 'ops' });
    sim.run();
    const report = sim.report();
    expect(report.status).toBe('succeeded');
    expect(report.order).toEqual(['a', 'b', 'b', 'c']);
    expect(report.runs.map((r) => r.runId)).toEqual(['sim.a.1', 'sim.b.1', 'sim.b.2', 'sim.c.1']);
  });

  it('retries only the failed items of a with-items task', () => {
    const wf = workflow(yaml`
      ref: demo.itemsretry
      output: {results: "{{ tasks.deploy.result }}"}
      tasks:
        deploy:
          action: deploy.region
          with: {items: [eu, us, ap], concurrency: 3}
          input: {region: "{{ item() }}"}
    `);
    const sim = new Simulation(wf, { results: { deploy: ['ok-eu', { error: 'us down' }, 'ok-ap'] } }).start().run();
    expect(sim.report().error).toMatchObject({ code: 'task_failed', message: expect.stringContaining('1 of 3 items failed; item 1: us down') });

    sim.addResults({ deploy: ['ok-us'] });
    sim.send({ type: 'RetryExecution', actor: 'ops' });
    sim.run();
    const report = sim.report();
    expect(report.runs.filter((r) => r.runId.startsWith('sim.deploy.2')).map((r) => r.item)).toEqual([1]);
    expect(report).toMatchObject({ status: 'succeeded', output: { results: ['ok-eu', 'ok-us', 'ok-ap'] } });
  });

  it('on retry, evaluates the transitions of tasks that finished while the execution was failing', () => {
    const wf = workflow(yaml`
      ref: demo.retryskipped
      tasks:
        start: {action: core.noop, next: [{do: [quick, slow]}]}
        quick: {action: ext.quick}
        slow: {action: ext.slow, on_success: after}
        after: {action: core.noop}
    `);
    const sim = new Simulation(wf, { results: { quick: [{ error: 'broken' }], slow: [{ result: 'S', after: '1m' }] } }).start().run();
    expect(sim.state.status).toBe('failed');
    sim.send({ type: 'RetryExecution', actor: 'ops' });
    sim.run();
    expect(sim.report()).toMatchObject({ status: 'succeeded', order: ['start', 'quick', 'slow', 'quick', 'after'] });
  });

  it('cancel cancels what waits and lets running runs finish', () => {
    const wf = workflow(yaml`
      ref: demo.cancel
      tasks:
        a: {action: core.noop, next: [{do: [running, later]}]}
        running: {action: ext.long}
        later: {action: core.noop, delay: 1h}
    `);
    const sim = new Simulation(wf, { results: { running: [{ result: 'done', after: '10m' }] } }).start();
    sim.run((s) => s.events.some((e) => e.type === 'TaskRunStarted' && e.data.runId === 'sim.running.1'));
    sim.send({ type: 'CancelExecution', actor: 'ops', reason: 'not today' });
    expect(sim.state.status).toBe('canceling');
    sim.run();
    const report = sim.report();
    expect(report.status).toBe('canceled');
    expect(report.runs.map((r) => [r.task, r.outcome])).toEqual([['a', 'succeeded'], ['running', 'succeeded']]);
    expect(report.endedAt).toBe('2000-01-01T00:10:00.000Z');
  });

  it('runs the release.deploy example of WORKFLOWS.md', () => {
    const wf = workflow(require('fs').readFileSync(require('path').join(__dirname, '../../../../definitions/workflows/release.deploy.yaml'), 'utf8'));
    const report = simulate(wf, {
      parameters: { ref: 'v1.2.0', regions: ['eu-west', 'us-east', 'ap-south'] },
      results: {
        build: [{ error: 'runner lost' }, { image: 'registry/app:v1.2.0' }],
        approve: [{ approved: true }],
        deploy: ['eu-ok', 'us-ok', 'ap-ok'],
        verify: [{ status: 200 }],
      },
    });
    expect(report.order).toEqual(['build', 'approve', 'deploy', 'deploy', 'deploy', 'verify']);
    expect(report.maxInFlight.deploy).toBeLessThanOrEqual(2);
    expect(report).toMatchObject({ status: 'succeeded', output: { image: 'registry/app:v1.2.0' } });
    expect(report.runs.find((r) => r.task === 'approve')?.result).toEqual({ approved: true });

    const rejected = simulate(wf, { parameters: { ref: 'v1.2.0' }, results: { build: [{ image: 'img' }], approve: [{ approved: false }] } });
    expect(rejected.order).toEqual(['build', 'approve', 'notify']);
    expect(rejected.status).toBe('succeeded');
  });

  it('leaves an inquiry without a scripted answer waiting', () => {
    const wf = workflow(yaml`
      ref: demo.ask
      tasks:
        ask: {action: core.inquiry, input: {prompt: "ok?", roles: [lead]}}
    `);
    expect(simulate(wf)).toMatchObject({ status: 'running', waiting: ['ask'] });
  });

  it('gets a child workflow result from the script, as the child output', () => {
    const wf = workflow(yaml`
      ref: demo.parent
      tasks:
        child: {action: demo.child, input: {n: 1}, on_success: use}
        use: {action: core.echo, input: {got: "{{ tasks.child.result.total }}"}}
    `, { resolveWorkflowRef: (ref) => ref === 'demo.child' });
    const report = simulate(wf, { results: { child: [{ total: 42 }] } });
    expect(report.events.find((e) => e.type === 'ChildExecutionRequested')?.data).toEqual({
      runId: 'sim.child.1', task: 'child', attempt: 1, childExecutionId: 'sim.child.1@1', workflow: 'demo.child', parameters: { n: 1 }, depth: 1,
    });
    expect(report).toMatchObject({ status: 'succeeded', order: ['child', 'use'] });
    expect(report.runs[1].result).toEqual({ got: 42 });
  });
});
