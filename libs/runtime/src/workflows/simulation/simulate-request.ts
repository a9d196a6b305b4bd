/**
 * POST /workflows/simulate (WORKFLOWS.md, Simulation): the in-memory driver of libs/workflow with
 * scripted results, plus optional controls — pause, resume, cancel, retry — each sent once its
 * condition holds, so a scenario with controls runs through both drivers alike.
 */
import { DomainError } from '@trellis/domain';
import { Simulation, taskView, type CompiledWorkflow, type ExecutionState, type SimulationReport } from '@trellis/workflow';

export interface ControlCondition {
  /** The execution's status. */
  status?: string;
  /** A task, and (optionally) the status of its latest activation or run. */
  task?: string;
  taskStatus?: string;
}

export interface Control {
  when?: ControlCondition;
  do: 'pause' | 'resume' | 'cancel' | 'retry';
  /** retry: the tasks to re-run (default: those that failed). */
  tasks?: string[];
  /** retry: more scripted results for the attempts still to come. */
  results?: Record<string, unknown[]>;
}

export interface SimulateRequest {
  parameters?: Record<string, unknown>;
  results?: Record<string, unknown[]>;
  controls?: Control[];
  version?: number;
}

export type SimulationAnswer = Omit<SimulationReport, 'events'> & { controls: Array<{ do: string; at: string; applied: boolean; message?: string }> };

export function conditionHolds(state: Pick<ExecutionState, 'status' | 'tasks' | 'activations'>, when: ControlCondition | undefined): boolean {
  if (!when) return true;
  if (when.status !== undefined && state.status !== when.status) return false;
  if (when.task !== undefined) {
    const counters = state.tasks[when.task];
    const latest = counters && state.activations[`${when.task}.${counters.latest}`];
    if (!latest) return false;
    if (when.taskStatus !== undefined && taskView(latest).status !== when.taskStatus) return false;
  }
  return true;
}

export function simulateWorkflow(workflow: CompiledWorkflow, request: SimulateRequest): SimulationAnswer {
  const simulation = new Simulation(workflow, {
    parameters: request.parameters ?? {},
    results: request.results ?? {},
    version: request.version ?? 1,
  });
  simulation.start();
  if (simulation.rejected.length > 0) {
    const [first] = simulation.rejected;
    throw new DomainError(first.code === 'validation_failed' ? 'validation_failed' : 'invalid_transition', first.message, { code: first.code });
  }
  const controls: SimulationAnswer['controls'] = [];
  for (const control of request.controls ?? []) {
    simulation.run((s) => conditionHolds(s.state, control.when));
    if (!conditionHolds(simulation.state, control.when)) {
      controls.push({ do: control.do, at: simulation.now, applied: false, message: 'its condition never held' });
      continue;
    }
    if (control.results) simulation.addResults(control.results);
    const before = simulation.rejected.length;
    simulation.send(commandFor(control));
    const rejected = simulation.rejected[before];
    controls.push({ do: control.do, at: simulation.now, applied: !rejected, ...(rejected ? { message: rejected.message } : {}) });
  }
  simulation.run();
  const { events: _events, ...report } = simulation.report();
  return { ...report, controls };
}

function commandFor(control: Control) {
  const actor = 'simulator';
  switch (control.do) {
    case 'pause':
      return { type: 'PauseExecution' as const, actor };
    case 'resume':
      return { type: 'ResumeExecution' as const, actor };
    case 'cancel':
      return { type: 'CancelExecution' as const, actor };
    case 'retry':
      return { type: 'RetryExecution' as const, actor, ...(control.tasks ? { tasks: control.tasks } : {}) };
  }
}
