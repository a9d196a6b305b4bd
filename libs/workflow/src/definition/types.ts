/**
 * A compiled workflow: the YAML of WORKFLOWS.md after validation, with every `{{ }}` compiled.
 * The decider reads only this shape; the registry keeps the YAML and compiles it again on load.
 */
import type { CompiledValue } from './values';

export type Severity = 'error' | 'warning';

export interface Problem {
  /** YAML path, e.g. `tasks.build.next[0].do`. */
  path: string;
  /** 1-based line in the YAML text; null when the definition did not come from text. */
  line: number | null;
  message: string;
  severity: Severity;
}

export type ActionKind = 'builtin' | 'workflow' | 'external';

export const BUILTIN_ACTIONS = [
  'core.noop',
  'core.echo',
  'core.fail',
  'core.sleep',
  'core.inquiry',
  'core.http',
  'core.render',
  'core.transition',
] as const;

/** Reserved `do` targets: they are not tasks. */
export const FAIL_TARGET = 'fail';
export const NOOP_TARGET = 'noop';

export interface CompiledTransition {
  /** Where it was written: `next[0]`, `on_success`, `on_failure` or `on_complete`. */
  label: string;
  /** The `when` source as written (or the shorthand's implied `succeeded()`). */
  whenSource: string;
  when: CompiledValue;
  publish: Array<{ name: string; value: CompiledValue }>;
  do: string[];
}

export interface RetryPolicy {
  count: number;
  delayMs: number;
  backoff: 'fixed' | 'exponential';
  maxDelayMs?: number;
  when?: CompiledValue;
}

export interface CompiledTask {
  name: string;
  action: string;
  actionKind: ActionKind;
  input: CompiledValue;
  transitions: CompiledTransition[];
  /** A barrier: the task runs once `need` of its inbound transitions have fired. */
  join?: { need: number; inbound: number };
  with?: { items: CompiledValue; concurrency: number };
  retry?: RetryPolicy;
  timeoutMs?: number;
  heartbeatMs?: number;
  delayMs?: number;
}

/** One transition that can reach a task: `build:next[0]` reaches `approve`. */
export interface Edge {
  id: string;
  source: string;
  label: string;
  target: string;
}

export interface WorkflowLimits {
  timeoutMs?: number;
  maxTaskRuns: number;
  maxEvents: number;
  maxItems: number;
}

export interface ParameterValidation {
  ok: boolean;
  value: Record<string, unknown>;
  errors: Array<{ path: string; message: string }>;
}

export interface CompiledWorkflow {
  ref: string;
  description?: string;
  /** The JSON Schema of `parameters`, built from `input`. */
  inputSchema: Record<string, unknown>;
  validateParameters(parameters: unknown): ParameterValidation;
  vars: Array<{ name: string; value: CompiledValue }>;
  output?: CompiledValue;
  search: Array<{ name: string; value: CompiledValue }>;
  limits: WorkflowLimits;
  entry: string[];
  tasks: Record<string, CompiledTask>;
  /** Task names in definition order. */
  taskOrder: string[];
  inbound: Record<string, Edge[]>;
  /** For each task, every task it can lead to (itself included), ignoring conditions. */
  reach: Record<string, string[]>;
}

export interface CompileOptions {
  /** Whether a workflow with this ref is registered: such an action starts a child execution. */
  resolveWorkflowRef?: (ref: string) => boolean;
  /**
   * Whether registered workflows live in this namespace. An action there that names no registered
   * workflow is a mistyped child ref, not an external action (namespaces belong either to
   * workflows or to workers).
   */
  isWorkflowNamespace?: (namespace: string) => boolean;
}

export type CompileOutcome =
  | { ok: true; workflow: CompiledWorkflow; warnings: Problem[] }
  | { ok: false; problems: Problem[] };

export const DEFAULT_LIMITS = { maxTaskRuns: 100, maxEvents: 50_000, maxItems: 10_000 } as const;
/** with-items without `concurrency`: how many items may be in flight at once. */
export const DEFAULT_ITEM_CONCURRENCY = 100;
export const MAX_DEPTH = 10;
