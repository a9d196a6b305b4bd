import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DefinitionProblem, RegisteredWorkflow } from '@trellis/runtime';
import type { CompiledWorkflow } from '@trellis/workflow';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';

export class WorkflowVersionQueryDto {
  @ApiPropertyOptional({ description: 'A registered version; omitted: the latest.', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @IsInt()
  version?: number;
}

export class DefinitionProblemDto {
  @ApiProperty({ example: 'tasks.build.next[0].do' }) path: string;
  @ApiProperty({ nullable: true, example: 12 }) line: number | null;
  @ApiProperty() message: string;
}

export class RegisteredWorkflowDto {
  @ApiProperty({ example: 'release.deploy' }) ref: string;
  @ApiProperty({ description: 'The version now registered (1, 2, ...). Registering the latest source again keeps its version.' }) version: number;
  @ApiPropertyOptional({ type: [DefinitionProblemDto], description: 'Problems that do not stop the registration (unreachable tasks); present only when there are some.' })
  warnings?: DefinitionProblemDto[];
}

export class ValidationResultDto {
  @ApiProperty() valid: boolean;
  @ApiPropertyOptional() ref?: string;
  @ApiProperty({ type: [DefinitionProblemDto] }) errors: DefinitionProblemDto[];
  @ApiProperty({ type: [DefinitionProblemDto] }) warnings: DefinitionProblemDto[];
}

export class WorkflowSummaryDto {
  @ApiProperty() ref: string;
  @ApiProperty({ description: 'The latest version.' }) version: number;
  @ApiProperty({ type: [Number] }) versions: number[];
  @ApiPropertyOptional() description?: string;
  @ApiProperty() registeredAt: string;
  @ApiProperty() registeredBy: string;
}

export class WorkflowTaskDto {
  @ApiProperty() name: string;
  @ApiProperty() action: string;
  @ApiProperty({ enum: ['builtin', 'workflow', 'external'] }) kind: string;
  @ApiProperty({ type: [String], description: 'The tasks its transitions can reach.' }) next: string[];
  @ApiPropertyOptional() join?: { need: number; inbound: number };
}

export class WorkflowDto extends WorkflowSummaryDto {
  @ApiProperty({ description: 'The definition as registered (YAML).' }) source: string;
  @ApiProperty({ description: 'JSON Schema of the parameters.' }) inputSchema: Record<string, unknown>;
  @ApiProperty({ type: [String] }) entry: string[];
  @ApiProperty({ type: [WorkflowTaskDto] }) tasks: WorkflowTaskDto[];
  @ApiProperty({ type: [String], description: 'Child workflows its tasks start.' }) children: string[];
}

export function toWorkflowSummaryDto(registered: RegisteredWorkflow, versions: number[]): WorkflowSummaryDto {
  return {
    ref: registered.ref,
    version: registered.version,
    versions,
    ...(registered.description ? { description: registered.description } : {}),
    registeredAt: registered.registeredAt,
    registeredBy: registered.registeredBy,
  };
}

export function toWorkflowDto(registered: RegisteredWorkflow, versions: number[], compiled: CompiledWorkflow): WorkflowDto {
  return {
    ...toWorkflowSummaryDto(registered, versions),
    source: registered.source,
    inputSchema: compiled.inputSchema,
    entry: compiled.entry,
    tasks: compiled.taskOrder.map((name) => {
      const task = compiled.tasks[name];
      const next = [...new Set(task.transitions.flatMap((t) => t.do))];
      return { name, action: task.action, kind: task.actionKind, next, ...(task.join ? { join: task.join } : {}) };
    }),
    children: registered.children,
  };
}

export const toProblems = (problems: DefinitionProblem[]): DefinitionProblemDto[] => problems.map(({ path, line, message }) => ({ path, line, message }));
