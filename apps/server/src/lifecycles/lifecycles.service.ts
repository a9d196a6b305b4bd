import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '@trellis/domain';
import { renderMermaid } from '@trellis/lifecycle';
import type { Principal } from '../common/auth/principal';
import { RegisterLifecycleCommand } from './commands/register-lifecycle.command';
import { toLifecycleDto, toLifecycleSummaryDto, toRegisteredLifecycleDto, type LifecycleDto, type LifecycleSummaryDto, type RegisteredLifecycleDto } from './dto/lifecycle.dto';
import { assertAcceptsMermaid } from './http/diagram-media';
import { LifecycleRegistry, type RegisteredVersion } from './lifecycle-registry';

@Injectable()
export class LifecyclesService {
  constructor(
    private readonly commands: CommandBus,
    private readonly registry: LifecycleRegistry,
  ) {}

  /** `body` is the YAML text, or the parsed JSON document. */
  async register(name: string, body: unknown, principal: Principal, requestId: string): Promise<{ created: boolean; body: RegisteredLifecycleDto }> {
    const registration = await this.commands.execute(
      new RegisterLifecycleCommand({ name, source: sourceOf(body), actor: principal.actor, occurredAt: new Date().toISOString(), correlationId: requestId }),
    );
    return { created: registration.created, body: toRegisteredLifecycleDto(registration.name, registration.version, registration.warnings) };
  }

  list(): LifecycleSummaryDto[] {
    return this.registry.latestVersions().map(toLifecycleSummaryDto);
  }

  get(name: string, version?: number): LifecycleDto {
    return toLifecycleDto(this.find(name, version));
  }

  diagram(name: string, version: number | undefined, accept: string | undefined): string {
    const registered = this.find(name, version);
    assertAcceptsMermaid(accept);
    return renderMermaid(registered.lifecycle);
  }

  private find(name: string, version?: number): RegisteredVersion {
    const registered = this.registry.get(name, version);
    if (!registered) {
      throw new DomainError('not_found', `no lifecycle '${name}'${version === undefined ? '' : ` version ${version}`}`, { lifecycle: name, ...(version === undefined ? {} : { version }) });
    }
    return registered;
  }
}

/**
 * YAML arrives as text and is stored as sent. A JSON document is stored pretty-printed: JSON is
 * YAML, so it compiles as is, and the line numbers of any problem point into readable text.
 */
function sourceOf(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) return `${JSON.stringify(body, null, 2)}\n`;
  throw new DomainError('validation_failed', 'a lifecycle definition is a YAML or JSON document (a map)', {
    violations: [{ path: 'body', message: 'must be a YAML or JSON map' }],
  });
}
