import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HISTORY, type CompiledLifecycle, type Problem } from '@trellis/lifecycle';
import type { RegisteredVersion } from '../lifecycle-registry';

export class RegisteredLifecycleDto {
  @ApiProperty({ example: 'pull-request' })
  name: string;

  @ApiProperty({ description: 'The version now registered (1, 2, ...). Registering the latest source again keeps its version.' })
  version: number;

  @ApiPropertyOptional({ description: 'Problems that do not stop the registration (an unreachable state); present only when there are some.' })
  warnings?: Array<{ path: string; line: number; message: string }>;
}

export class LifecycleSummaryDto {
  @ApiProperty({ example: 'issue' })
  name: string;

  @ApiProperty({ description: 'The latest version, or the one asked for.' })
  version: number;

  @ApiProperty({ description: 'Prefix of the entity event types, e.g. IssueTransitioned.', example: 'Issue' })
  entityType: string;

  @ApiProperty()
  registeredAt: string;

  @ApiProperty()
  registeredBy: string;
}

export class LifecycleStateDto {
  @ApiProperty() name: string;
  @ApiProperty() final: boolean;
  @ApiProperty({ type: [String] }) superstates: string[];
  @ApiPropertyOptional({ description: 'JSON Schema of the data the state is entered with.' }) data?: Record<string, unknown>;
}

export class LifecycleTransitionDto {
  @ApiProperty() name: string;
  @ApiProperty({ type: [String], description: 'As written: states and superstates.' }) from: string[];
  @ApiProperty({ type: [String], description: 'With superstates expanded.' }) fromStates: string[];
  @ApiProperty({ description: `A state, or "${HISTORY}".` }) to: string;
  @ApiProperty() reasonRequired: boolean;
  @ApiPropertyOptional() guard?: { when: string; message: string };
  @ApiPropertyOptional() approval?: { roles: string[]; count: number };
}

export class LifecycleDto extends LifecycleSummaryDto {
  @ApiProperty() initial: string;
  @ApiProperty({ description: 'JSON Schema of the entity fields.' }) fields: Record<string, unknown>;
  @ApiProperty({ type: [LifecycleStateDto] }) states: LifecycleStateDto[];
  @ApiProperty({ description: 'Superstate → its states.' }) superstates: Record<string, string[]>;
  @ApiProperty({ type: [LifecycleTransitionDto] }) transitions: LifecycleTransitionDto[];
  @ApiProperty() hooks: Array<{ onEnter: string; startWorkflow: { ref: string; input: unknown } }>;
  @ApiProperty({ description: 'The definition as registered.' }) source: string;
}

export const toRegisteredLifecycleDto = (name: string, version: number, warnings: Problem[]): RegisteredLifecycleDto => ({
  name,
  version,
  ...(warnings.length > 0 ? { warnings: warnings.map(({ path, line, message }) => ({ path, line, message })) } : {}),
});

export const toLifecycleSummaryDto = ({ lifecycle, registeredAt, registeredBy }: RegisteredVersion): LifecycleSummaryDto => ({
  name: lifecycle.name,
  version: lifecycle.version,
  entityType: lifecycle.entityType,
  registeredAt,
  registeredBy,
});

export function toLifecycleDto(registered: RegisteredVersion): LifecycleDto {
  const l: CompiledLifecycle = registered.lifecycle;
  return {
    ...toLifecycleSummaryDto(registered),
    initial: l.initial,
    fields: l.fields.jsonSchema,
    states: Object.values(l.states).map((s) => ({ name: s.name, final: s.final, superstates: s.superstates, ...(s.data ? { data: s.data.jsonSchema } : {}) })),
    superstates: l.superstates,
    transitions: Object.values(l.transitions).map((t) => ({
      name: t.name,
      from: t.from,
      fromStates: t.fromStates,
      to: t.to,
      reasonRequired: t.reasonRequired,
      ...(t.guard ? { guard: { when: t.guard.when, message: t.guard.message } } : {}),
      ...(t.approval ? { approval: { roles: [...t.approval.roles], count: t.approval.count } } : {}),
    })),
    hooks: l.hooks.map((h) => ({ onEnter: h.onEnter, startWorkflow: h.startWorkflow })),
    source: l.source,
  };
}
