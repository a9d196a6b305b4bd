import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '@trellis/domain';
import { invalidDefinition, simulateWorkflow, type SimulationAnswer, type WorkflowRuntime } from '@trellis/runtime';
import { workflowDiagram, type CompiledWorkflow } from '@trellis/workflow';
import type { Principal } from '../common/auth/principal';
import { RegisterWorkflowCommand } from './commands/register-workflow.command';
import type { SimulateDto } from './dto/simulate.dto';
import { toProblems, toWorkflowDto, toWorkflowSummaryDto, type RegisteredWorkflowDto, type ValidationResultDto, type WorkflowDto, type WorkflowSummaryDto } from './dto/workflow.dto';
import { definitionSource } from './http/definition-source';
import { WorkflowRuntimeHost } from './runtime/workflow-runtime.host';

@Injectable()
export class WorkflowsService {
  private readonly runtime: WorkflowRuntime;

  constructor(
    private readonly commands: CommandBus,
    host: WorkflowRuntimeHost,
  ) {
    this.runtime = host.runtime;
  }

  async register(ref: string, body: unknown, principal: Principal, requestId: string): Promise<{ created: boolean; body: RegisteredWorkflowDto }> {
    const registration = await this.commands.execute(
      new RegisterWorkflowCommand(ref, definitionSource(body, 'workflow'), { actor: principal.actor, occurredAt: new Date().toISOString(), correlationId: requestId }),
    );
    const warnings = toProblems(registration.warnings);
    return { created: registration.created, body: { ref: registration.ref, version: registration.version, ...(warnings.length ? { warnings } : {}) } };
  }

  validate(body: unknown): ValidationResultDto {
    const checked = this.runtime.registry.check(definitionSource(body, 'workflow'));
    return { valid: checked.ok, ...(checked.ref ? { ref: checked.ref } : {}), errors: toProblems(checked.errors), warnings: toProblems(checked.warnings) };
  }

  simulate(request: SimulateDto): SimulationAnswer {
    const workflow = this.simulated(request);
    return simulateWorkflow(workflow, {
      parameters: request.parameters,
      results: request.results,
      controls: request.controls,
      version: request.version,
    });
  }

  list(): WorkflowSummaryDto[] {
    const { registry } = this.runtime;
    return registry.latest().map((w) => toWorkflowSummaryDto(w, registry.versionsOf(w.ref)));
  }

  get(ref: string, version?: number): WorkflowDto {
    const { registry } = this.runtime;
    const registered = registry.require(ref, version);
    return toWorkflowDto(registered, registry.versionsOf(ref), registry.compiled(ref, registered.version));
  }

  diagram(ref: string, version?: number): string {
    const registered = this.runtime.registry.require(ref, version);
    return workflowDiagram(this.runtime.registry.compiled(ref, registered.version));
  }

  private simulated(request: SimulateDto): CompiledWorkflow {
    const { registry } = this.runtime;
    if (request.definition !== undefined && request.ref !== undefined) {
      throw new DomainError('validation_failed', 'give either definition or ref, not both', { violations: [{ path: 'ref', message: 'must be absent when definition is given' }] });
    }
    if (request.ref !== undefined) {
      const registered = registry.require(request.ref, request.version);
      return registry.compiled(registered.ref, registered.version);
    }
    if (request.definition === undefined) {
      throw new DomainError('validation_failed', 'give the workflow to simulate: definition (YAML or JSON) or ref', { violations: [{ path: 'definition', message: 'must be given (or ref)' }] });
    }
    const checked = registry.check(definitionSource(request.definition, 'workflow'));
    if (!checked.ok || !checked.workflow) throw invalidDefinition(`workflow ${checked.ref ?? ''}`.trim(), checked.errors, checked.warnings);
    return checked.workflow;
  }
}
