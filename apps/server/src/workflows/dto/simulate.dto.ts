import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Min, ValidateNested } from 'class-validator';

export class ControlConditionDto {
  @ApiPropertyOptional({ description: 'The execution status to wait for.' }) @IsOptional() @IsString() status?: string;
  @ApiPropertyOptional({ description: 'A task whose latest activation must exist ...' }) @IsOptional() @IsString() task?: string;
  @ApiPropertyOptional({ description: '... and be in this status.' }) @IsOptional() @IsString() taskStatus?: string;
}

export class ControlDto {
  @ApiPropertyOptional({ type: ControlConditionDto, description: 'Sent once this holds (default: at once).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ControlConditionDto)
  when?: ControlConditionDto;

  @ApiProperty({ enum: ['pause', 'resume', 'cancel', 'retry'] }) @IsIn(['pause', 'resume', 'cancel', 'retry']) do: 'pause' | 'resume' | 'cancel' | 'retry';
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) tasks?: string[];
  @ApiPropertyOptional({ description: 'retry: more scripted results.' }) @IsOptional() @IsObject() results?: Record<string, unknown[]>;
}

/** WORKFLOWS.md, Simulation: a definition inline (YAML text or JSON) or by ref, and scripted results. */
export class SimulateDto {
  @ApiPropertyOptional({ description: 'The workflow, as YAML text or a JSON document (or give `ref`).' })
  @Allow()
  definition?: unknown;

  @ApiPropertyOptional({ description: 'A registered workflow (instead of `definition`).' }) @IsOptional() @IsString() ref?: string;
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @IsInt() @Min(1) version?: number;
  @ApiPropertyOptional() @IsOptional() @IsObject() parameters?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'task → list of results (or {error}), one per attempt; `{result, after: "5m"}` sets how long the attempt takes.' })
  @IsOptional()
  @IsObject()
  results?: Record<string, unknown[]>;

  @ApiPropertyOptional({ type: [ControlDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ControlDto)
  controls?: ControlDto[];
}
