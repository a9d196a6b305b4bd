/**
 * Handlebars templates for core.render (WORKFLOWS.md, Built-in actions), stored as events on
 * `template-<name>` streams like any definition and kept in memory, compiled on first use.
 */
import { DomainError } from '@trellis/domain';
import type { EventStore, RecordedEvent, Subscription } from '@trellis/eventstore';
import Handlebars from 'handlebars';
import type { CommandPipeline } from '../../command-handling';
import { StateCache } from '../../command-handling/state-cache';
import { registrationDecider } from './registration';
import { invalidDefinition, type RegistrationMeta } from './workflow-registry';

export const TEMPLATE_REGISTERED = 'TemplateRegistered';
export const templateStreamId = (name: string) => `template-${name}`;

export interface TemplateRegisteredData {
  name: string;
  version: number;
  source: string;
}

export interface RegisteredTemplate extends TemplateRegisteredData {
  registeredAt: string;
  registeredBy: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Handlebars reports `Parse error on line N:` followed by a picture of the spot. */
export function templateProblems(source: string): Array<{ path: string; line: number | null; message: string }> {
  try {
    Handlebars.precompile(source);
    return [];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /on line (\d+)/.exec(message)?.[1];
    return [{ path: '', line: line ? Number(line) : null, message: message.split('\n').filter(Boolean).pop() ?? message }];
  }
}

const templateRegistration = registrationDecider<Record<string, never>, TemplateRegisteredData>(TEMPLATE_REGISTERED, (command, version) => {
  const errors = templateProblems(command.source);
  if (errors.length) return invalidDefinition(`template ${command.name}`, errors);
  return { name: command.name, version, source: command.source };
});

export class TemplateRegistry {
  private readonly templates = new Map<string, RegisteredTemplate>();
  // Inline sources come from task input and may vary per run: keep the compiled ones bounded.
  private readonly compiled = new StateCache<HandlebarsTemplateDelegate>(500);
  private following?: Subscription;

  constructor(
    private readonly store: EventStore,
    private readonly pipeline: CommandPipeline,
  ) {}

  async start(): Promise<void> {
    this.following = this.store.subscribe((event) => this.add(event), { eventTypes: [TEMPLATE_REGISTERED] });
    await this.following.caughtUp;
  }

  async stop(): Promise<void> {
    await this.following?.stop();
  }

  add(event: RecordedEvent): void {
    if (event.type !== TEMPLATE_REGISTERED) return;
    const data = event.data as TemplateRegisteredData;
    const known = this.templates.get(data.name);
    if (known && known.version >= data.version) return;
    this.templates.set(data.name, { ...data, registeredAt: event.metadata.occurredAt, registeredBy: event.metadata.actor });
  }

  async register(name: string, source: string, meta: RegistrationMeta): Promise<{ name: string; version: number; created: boolean }> {
    if (!NAME.test(name)) {
      throw new DomainError('validation_failed', `template name '${name}' must be letters, digits, '.', '_' or '-'`, {
        violations: [{ path: 'name', message: 'must be letters, digits, ., _ or -' }],
      });
    }
    const outcome = await this.pipeline.handle(templateRegistration, templateStreamId(name), {
      data: { type: 'Register', name, source, extra: {} },
      ...meta,
    });
    outcome.events.forEach((event) => this.add(event));
    return { name, version: outcome.state.version, created: outcome.events.length > 0 && outcome.state.version === 1 };
  }

  get(name: string): RegisteredTemplate | undefined {
    return this.templates.get(name);
  }

  /** Renders a registered template (its latest version) or inline source. */
  render(spec: { template?: string; source?: string }, data: unknown): string {
    let source = spec.source;
    if (source === undefined) {
      const registered = spec.template === undefined ? undefined : this.templates.get(spec.template);
      if (!registered) throw new RenderFailure('template_not_found', `no template '${spec.template ?? ''}' is registered (PUT /templates/{name})`);
      source = registered.source;
    }
    let compiled = this.compiled.get(source);
    if (!compiled) {
      compiled = Handlebars.compile(source, { noEscape: true, strict: false });
      this.compiled.set(source, compiled);
    }
    return compiled(data ?? {});
  }
}

export class RenderFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
