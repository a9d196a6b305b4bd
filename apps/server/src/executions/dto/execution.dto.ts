import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, ArrayMinSize, IsArray, IsDefined, IsInt, IsObject, IsOptional, IsString, Length, MaxLength, Min } from 'class-validator';

export class StartExecutionDto {
  @ApiPropertyOptional({ description: 'Checked against the workflow input (defaults filled in).' })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'A registered version; omitted: the latest.', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({ description: 'Starting again with the same key answers the same execution; with other parameters it is a 409.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  idempotencyKey?: string;
}

export class StartedExecutionDto {
  @ApiProperty() id: string;
}

export class RetryExecutionDto {
  @ApiPropertyOptional({ type: [String], description: 'Tasks to re-run; omitted: those the failure started from.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  tasks?: string[];
}

export class CancelExecutionDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export class AnswerInquiryDto {
  @ApiProperty({ description: "Validated against the inquiry's schema." })
  @IsDefined()
  @Allow()
  answer: unknown;
}

export const EXECUTION_STATUSES = ['running', 'pausing', 'paused', 'failing', 'failed', 'canceling', 'canceled', 'succeeded'];

export class ExecutionStatusDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: EXECUTION_STATUSES }) status: string;
}

export class ExecutionSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty() workflow: string;
  @ApiProperty() version: number;
  @ApiProperty() status: string;
  @ApiProperty({ description: 'The values of the workflow\'s `search:` fields.' }) search: Record<string, unknown>;
  @ApiProperty() actor: string;
  @ApiPropertyOptional() parent?: { executionId: string; runId: string };
  @ApiProperty() startedAt: string;
  @ApiPropertyOptional() endedAt?: string;
  @ApiProperty() updatedAt: string;
  @ApiPropertyOptional() error?: unknown;
}

export class ExecutionPageDto {
  @ApiProperty({ type: [ExecutionSummaryDto] }) executions: ExecutionSummaryDto[];
  @ApiProperty({
    nullable: true,
    description: 'An opaque cursor: pass it as `after` for the next page; null on the last page. A page filtered by search fields may hold fewer than `limit` executions before the last.',
  })
  next: string | null;
}
