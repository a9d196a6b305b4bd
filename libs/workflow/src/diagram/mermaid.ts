/**
 * Mermaid flowcharts: a definition's graph (tasks as nodes, transitions as edges labelled with
 * their `when`), and an execution's, with each task coloured by the status of its latest run.
 */
import { FAIL_TARGET, NOOP_TARGET, type CompiledWorkflow } from '../definition';
import { taskView, type ExecutionState } from '../execution';

const STATUS_STYLES: Record<string, string> = {
  scheduled: 'fill:#e8eaf6,stroke:#3f51b5',
  running: 'fill:#bbdefb,stroke:#1565c0',
  waiting: 'fill:#fff9c4,stroke:#f9a825',
  succeeded: 'fill:#c8e6c9,stroke:#2e7d32',
  failed: 'fill:#ffcdd2,stroke:#c62828',
  canceled: 'fill:#eeeeee,stroke:#757575',
  pending: 'fill:#ffffff,stroke:#9e9e9e,stroke-dasharray:4 2',
};

const escape = (text: string) => text.replace(/"/g, '#quot;').replace(/\n/g, ' ');
// Mermaid ids must not clash with its keywords (end, graph, ...).
const nodeId = (task: string) => `t_${task}`;

export function workflowDiagram(workflow: CompiledWorkflow, statuses?: Record<string, string>): string {
  const lines = ['flowchart TD', `  start((start))`];
  for (const name of workflow.taskOrder) {
    const task = workflow.tasks[name];
    const join = task.join ? `<br/>join ${task.join.need === task.join.inbound ? 'all' : task.join.need}` : '';
    const items = task.with ? '<br/>with items' : '';
    lines.push(`  ${nodeId(name)}["${escape(name)}<br/><small>${escape(task.action)}</small>${items}${join}"]`);
  }
  const usesFail = workflow.taskOrder.some((n) => workflow.tasks[n].transitions.some((t) => t.do.includes(FAIL_TARGET)));
  if (usesFail) lines.push('  fail(((fail)))');
  for (const entry of workflow.entry) lines.push(`  start --> ${nodeId(entry)}`);
  for (const name of workflow.taskOrder) {
    for (const transition of workflow.tasks[name].transitions) {
      const label = escape(transition.whenSource.replace(/^\{\{\s*|\s*\}\}$/g, ''));
      for (const target of transition.do) {
        if (target === NOOP_TARGET) continue;
        const to = target === FAIL_TARGET ? 'fail' : nodeId(target);
        lines.push(`  ${nodeId(name)} -->|"${label}"| ${to}`);
      }
    }
  }
  if (statuses) {
    for (const [status, style] of Object.entries(STATUS_STYLES)) lines.push(`  classDef ${status} ${style}`);
    for (const name of workflow.taskOrder) lines.push(`  class ${nodeId(name)} ${statuses[name] ?? 'pending'}`);
  }
  return lines.join('\n');
}

/** The definition's graph coloured by the status of each task's latest activation. */
export function executionDiagram(workflow: CompiledWorkflow, state: ExecutionState): string {
  const statuses: Record<string, string> = {};
  for (const [task, counters] of Object.entries(state.tasks)) {
    const latest = state.activations[`${task}.${counters.latest}`];
    if (latest) statuses[task] = taskView(latest).status;
  }
  return workflowDiagram(workflow, statuses);
}
