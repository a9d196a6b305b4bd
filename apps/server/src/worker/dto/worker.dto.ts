import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class ClaimDto {
  @ApiProperty({ description: 'The worker\'s name, recorded on the runs it starts.', example: 'ci-runner-7' })
  @IsString()
  @Length(1, 200)
  worker: string;

  @ApiProperty({ type: [String], example: ['ci.build'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  actions: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 1 }) @IsOptional() @IsInt() @Min(1) @Max(100) max?: number;

  @ApiPropertyOptional({ description: 'How long a claim holds without a heartbeat (a task\'s `heartbeat` caps it).', minimum: 10, maximum: 3_600_000, default: 30_000 })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  leaseMs?: number;

  @ApiPropertyOptional({ description: 'Long-poll: wait this long for a run when none is ready.', minimum: 0, maximum: 60_000, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60_000)
  waitMs?: number;
}

export class ClaimedRunDto {
  @ApiProperty() runId: string;
  @ApiProperty() executionId: string;
  @ApiProperty() workflow: string;
  @ApiProperty() task: string;
  @ApiProperty() action: string;
  @ApiPropertyOptional({ description: 'with-items: the item index.' }) item?: number;
  @ApiProperty() attempt: number;
  @ApiProperty({ description: 'Send it with every heartbeat and report; a stale one is refused (409).' }) fencingToken: number;
  @ApiProperty({ description: 'Stable across the attempts of a run: use it to make a side effect exactly-once.' }) idempotencyKey: string;
  @ApiProperty({ description: 'The task input, secrets resolved.' }) input: unknown;
  @ApiProperty() leaseMs: number;
  @ApiProperty() leaseExpiresAt: string;
  @ApiPropertyOptional() timeoutMs?: number;
}

export class HeartbeatDto {
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) fencingToken: number;
}

export class CompleteRunDto extends HeartbeatDto {
  @ApiPropertyOptional({ description: 'The task\'s result.' }) @Allow() result?: unknown;
}

export class FailRunDto extends HeartbeatDto {
  @ApiPropertyOptional({ description: 'Text, or {code, message, ...details}.' }) @Allow() error?: unknown;
}

export class LeaseDto {
  @ApiProperty() runId: string;
  @ApiProperty() leaseExpiresAt: string;
}

export class ReportedRunDto {
  @ApiProperty() runId: string;
  @ApiProperty() attempt: number;
  @ApiProperty({ enum: ['succeeded', 'failed', 'retrying'] }) status: string;
}
