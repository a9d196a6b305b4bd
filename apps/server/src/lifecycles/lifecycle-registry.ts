/**
 * Every registered version of every lifecycle, compiled once and kept in memory, so deciding an
 * entity command never parses a definition. The versions come from the `lifecycle-<name>` streams:
 * read at startup and followed live (registrations by other processes arrive too), and added at
 * once when this process registers one (read-your-writes for the caller). At startup the built-in
 * definitions are registered when their files differ from the latest stored version, so a restart
 * with unchanged files registers nothing.
 */
import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { compileLifecycle, type CompiledLifecycle, type Problem } from '@trellis/lifecycle';
import type { LifecycleResolver } from '@trellis/domain';
import {
  LIFECYCLE_REGISTERED,
  lifecycleRegistrationDecider,
  lifecycleStreamId,
  type LifecycleRegistered,
} from '@trellis/domain/definitions';
import { EventStore, type RecordedEvent, type Subscription } from '@trellis/eventstore';
import { CommandPipeline } from '@trellis/runtime';
import { readBuiltInDefinitions } from './built-in-definitions';

export interface RegisteredVersion {
  lifecycle: CompiledLifecycle;
  warnings: Problem[];
  registeredAt: string;
  registeredBy: string;
}

export interface Registration {
  name: string;
  version: number;
  /** True when this call registered the lifecycle's first version. */
  created: boolean;
  warnings: Problem[];
}

export interface RegistrationRequest {
  name: string;
  source: string;
  actor: string;
  occurredAt: string;
  correlationId?: string;
}

/** Who registers the built-in definitions. */
export const SYSTEM_ACTOR = 'system';

@Injectable()
export class LifecycleRegistry implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Lifecycles');
  private readonly versions = new Map<string, Map<number, RegisteredVersion>>();
  private following?: Subscription;

  constructor(
    private readonly store: EventStore,
    private readonly pipeline: CommandPipeline,
  ) {}

  async onModuleInit(): Promise<void> {
    this.following = this.store.subscribe((event) => this.add(event), { eventTypes: [LIFECYCLE_REGISTERED] });
    await this.following.caughtUp;
    const occurredAt = new Date().toISOString();
    for (const { name, source } of readBuiltInDefinitions()) {
      const { version, warnings } = await this.register({ name, source, actor: SYSTEM_ACTOR, occurredAt });
      if (warnings.length > 0) this.logger.warn({ msg: 'built-in lifecycle has warnings', name, version, warnings });
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.following?.stop();
  }

  /** The entity decider's view of the registry: a version, or the latest. */
  readonly resolve: LifecycleResolver = (name, version) => this.get(name, version)?.lifecycle;

  get(name: string, version?: number): RegisteredVersion | undefined {
    const versions = this.versions.get(name);
    if (!versions) return undefined;
    return versions.get(version ?? Math.max(...versions.keys()));
  }

  latestVersions(): RegisteredVersion[] {
    return [...this.versions.keys()].sort().map((name) => this.get(name)!);
  }

  async register(request: RegistrationRequest): Promise<Registration> {
    const outcome = await this.pipeline.handle(lifecycleRegistrationDecider, lifecycleStreamId(request.name), {
      data: { type: 'RegisterLifecycle', name: request.name, source: request.source },
      actor: request.actor,
      occurredAt: request.occurredAt,
      correlationId: request.correlationId,
    });
    outcome.events.forEach((event) => this.add(event));
    const registered = this.get(request.name, outcome.state.version);
    return {
      name: request.name,
      version: outcome.state.version,
      created: outcome.events.some((event) => (event.data as LifecycleRegistered['data']).version === 1),
      warnings: registered?.warnings ?? [],
    };
  }

  private add(event: RecordedEvent): void {
    const { name, version, source } = event.data as LifecycleRegistered['data'];
    const versions = this.versions.get(name) ?? new Map<number, RegisteredVersion>();
    if (versions.has(version)) return;
    const compiled = compileLifecycle(source, { version });
    if (!compiled.ok) {
      // Accepted once, so only a change of the compiler can get here: keep serving the others.
      this.logger.error({ msg: 'stored lifecycle no longer compiles', name, version, problems: compiled.problems });
      return;
    }
    versions.set(version, { lifecycle: compiled.lifecycle, warnings: compiled.warnings, registeredAt: event.metadata.occurredAt, registeredBy: event.metadata.actor });
    this.versions.set(name, versions);
  }
}
