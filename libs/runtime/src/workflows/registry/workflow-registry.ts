/**
 * Every registered version of every workflow, kept in memory and compiled on first use. Versions
 * come from the `workflow-<ref>` streams: read at startup and followed live, and added at once
 * when this process registers one (read-your-writes for the caller). A changed definition is a
 * new version; executions name the version they run, so running ones keep theirs.
 */
import { DomainError } from '@trellis/domain';
import type { EventStore, RecordedEvent, Subscription } from '@trellis/eventstore';
import { compileWorkflow, type CompileOptions, type CompiledWorkflow, type Problem } from '@trellis/workflow';
import type { CommandPipeline } from '../../command-handling';
import { registrationDecider, type Register } from './registration';

export const WORKFLOW_REGISTERED = 'WorkflowRegistered';
export const workflowStreamId = (ref: string) => `workflow-${ref}`;

export interface WorkflowRegisteredData {
  ref: string;
  version: number;
  source: string;
  /**
   * The actions that named registered workflows when this version was accepted: compiling the
   * stored source later classifies its actions the same way, whatever was registered since.
   */
  children: string[];
}

export interface RegisteredWorkflow extends WorkflowRegisteredData {
  description?: string;
  registeredAt: string;
  registeredBy: string;
}

export interface DefinitionProblem {
  path: string;
  line: number | null;
  message: string;
}

export interface DefinitionCheck {
  ok: boolean;
  ref?: string;
  workflow?: CompiledWorkflow;
  errors: DefinitionProblem[];
  warnings: DefinitionProblem[];
  children: string[];
}

export interface RegistrationMeta {
  actor: string;
  occurredAt: string;
  correlationId?: string;
}

export interface WorkflowRegistration {
  ref: string;
  version: number;
  /** The first version of this ref. */
  created: boolean;
  /** False when the source equals the latest version's (nothing was appended). */
  changed: boolean;
  warnings: DefinitionProblem[];
}

const REF = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)+$/;
const toProblem = ({ path, line, message }: Problem): DefinitionProblem => ({ path, line, message });

export function invalidDefinition(what: string, errors: DefinitionProblem[], warnings: DefinitionProblem[] = []): DomainError {
  const first = errors[0];
  const where = first ? ` (${first.path || 'document'}${first.line ? `, line ${first.line}` : ''}: ${first.message})` : '';
  return new DomainError('invalid_definition', `${what} is invalid: ${errors.length} problem${errors.length === 1 ? '' : 's'}${where}`, {
    errors,
    ...(warnings.length ? { warnings } : {}),
  });
}

/** Compiles a definition against the refs known now; the registration decider and /validate share it. */
export function checkWorkflow(source: string | object, knownRefs: readonly string[], expectedRef?: string): DefinitionCheck {
  const known = new Set(knownRefs);
  // A namespace holds workflows when OTHER registered workflows live there: the definition's own
  // ref does not make its siblings child refs (ops.maintenance may call the external ops.patch).
  const self = expectedRef ?? refIn(source);
  const namespaces = new Set(knownRefs.filter((ref) => ref !== self).map((ref) => ref.split('.')[0]));
  const options: CompileOptions = { resolveWorkflowRef: (ref) => known.has(ref), isWorkflowNamespace: (ns) => namespaces.has(ns) };
  const outcome = compileWorkflow(source, options);
  if (!outcome.ok) {
    const errors = outcome.problems.filter((p) => p.severity === 'error').map(toProblem);
    return { ok: false, errors, warnings: outcome.problems.filter((p) => p.severity === 'warning').map(toProblem), children: [] };
  }
  const { workflow } = outcome;
  const warnings = outcome.warnings.map(toProblem);
  if (expectedRef !== undefined && workflow.ref !== expectedRef) {
    const line = typeof source === 'string' ? lineOfRef(source) : null;
    const error = { path: 'ref', line, message: `the definition names workflow '${workflow.ref}', not '${expectedRef}', the ref it is registered under` };
    return { ok: false, ref: workflow.ref, errors: [error], warnings, children: [] };
  }
  const children = [...new Set(Object.values(workflow.tasks).filter((t) => t.actionKind === 'workflow').map((t) => t.action))].sort();
  return { ok: true, ref: workflow.ref, workflow, errors: [], warnings, children };
}

function refIn(source: string | object): string | undefined {
  if (typeof source === 'object') return String((source as { ref?: unknown }).ref ?? '') || undefined;
  return /^ref\s*:\s*['"]?([\w.-]+)/m.exec(source)?.[1];
}

function lineOfRef(source: string): number | null {
  const index = source.split('\n').findIndex((line) => /^ref\s*:/.test(line) || /^\s*"ref"\s*:/.test(line));
  return index < 0 ? null : index + 1;
}

type RegisterWorkflow = Register<{ knownRefs: string[] }>;

const workflowRegistration = registrationDecider<{ knownRefs: string[] }, WorkflowRegisteredData>(WORKFLOW_REGISTERED, (command, version) => {
  const checked = checkWorkflow(command.source, command.extra.knownRefs, command.name);
  if (!checked.ok) return invalidDefinition(`workflow ${command.name}`, checked.errors, checked.warnings);
  return { ref: command.name, version, source: command.source, children: checked.children };
});

export class WorkflowRegistry {
  private readonly versions = new Map<string, RegisteredWorkflow[]>();
  private readonly compiledCache = new Map<string, CompiledWorkflow>();
  private following?: Subscription;

  constructor(
    private readonly store: EventStore,
    private readonly pipeline: CommandPipeline,
  ) {}

  /** Reads every registered version, then follows new ones. */
  async start(): Promise<void> {
    this.following = this.store.subscribe((event) => this.add(event), { eventTypes: [WORKFLOW_REGISTERED] });
    await this.following.caughtUp;
  }

  async stop(): Promise<void> {
    await this.following?.stop();
  }

  add(event: RecordedEvent): void {
    if (event.type !== WORKFLOW_REGISTERED) return;
    const data = event.data as WorkflowRegisteredData;
    const list = this.versions.get(data.ref) ?? [];
    if (list.some((v) => v.version === data.version)) return;
    const description = /^description:\s*(.+)$/m.exec(data.source)?.[1]?.trim();
    list.push({ ...data, children: data.children ?? [], description, registeredAt: event.metadata.occurredAt, registeredBy: event.metadata.actor });
    list.sort((a, b) => a.version - b.version);
    this.versions.set(data.ref, list);
  }

  refs(): string[] {
    return [...this.versions.keys()].sort();
  }

  has(ref: string): boolean {
    return this.versions.has(ref);
  }

  check(source: string | object, expectedRef?: string): DefinitionCheck {
    const ref = expectedRef ?? refIn(source);
    return checkWorkflow(source, ref ? [...this.refs(), ref] : this.refs(), expectedRef);
  }

  async register(ref: string, source: string, meta: RegistrationMeta): Promise<WorkflowRegistration> {
    if (!REF.test(ref)) {
      throw new DomainError('validation_failed', `workflow ref '${ref}' must be namespace.name, e.g. release.deploy`, {
        violations: [{ path: 'ref', message: 'must be namespace.name' }],
      });
    }
    const command: RegisterWorkflow = { type: 'Register', name: ref, source, extra: { knownRefs: [...this.refs(), ref] } };
    const outcome = await this.pipeline.handle(workflowRegistration, workflowStreamId(ref), { data: command, ...meta });
    outcome.events.forEach((event) => this.add(event));
    const version = outcome.state.version;
    const warnings = outcome.events.length ? this.check(source, ref).warnings : [];
    return { ref, version, created: outcome.events.length > 0 && version === 1, changed: outcome.events.length > 0, warnings };
  }

  /** The version asked for, or the latest. */
  get(ref: string, version?: number): RegisteredWorkflow | undefined {
    const list = this.versions.get(ref);
    if (!list) return undefined;
    return version === undefined ? list[list.length - 1] : list.find((v) => v.version === version);
  }

  require(ref: string, version?: number): RegisteredWorkflow {
    const found = this.get(ref, version);
    if (!found) {
      throw new DomainError('not_found', `no workflow '${ref}'${version === undefined ? '' : ` version ${version}`}`, {
        workflow: ref,
        ...(version === undefined ? {} : { version }),
      });
    }
    return found;
  }

  /** The compiled definition of a stored version (compiled once, as it was classified when registered). */
  compiled(ref: string, version: number): CompiledWorkflow {
    const key = `${ref}@${version}`;
    const cached = this.compiledCache.get(key);
    if (cached) return cached;
    const stored = this.require(ref, version);
    const children = new Set(stored.children);
    const outcome = compileWorkflow(stored.source, { resolveWorkflowRef: (r) => children.has(r) });
    if (!outcome.ok) throw new Error(`stored workflow ${key} no longer compiles: ${outcome.problems.map((p) => p.message).join('; ')}`);
    this.compiledCache.set(key, outcome.workflow);
    return outcome.workflow;
  }

  /** The latest version of each workflow. */
  latest(): RegisteredWorkflow[] {
    return this.refs().map((ref) => this.get(ref)!);
  }

  versionsOf(ref: string): number[] {
    return (this.versions.get(ref) ?? []).map((v) => v.version);
  }
}
