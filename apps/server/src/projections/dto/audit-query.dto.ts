import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { MAX_LIMIT } from '@trellis/readstore';

export class AuditFilterDto {
  @ApiPropertyOptional({ description: "An entity's id (a project's, sprint's, issue's, execution's ...)." })
  @IsOptional()
  @IsString()
  @MinLength(1)
  entity?: string;

  @ApiPropertyOptional({ description: 'Who issued the change.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  actor?: string;

  @ApiPropertyOptional({ description: 'An event type, e.g. IssueTransitioned.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  type?: string;

  @ApiPropertyOptional({ description: 'Changes at or after this time (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Changes before this time (ISO 8601, exclusive).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class AuditQueryDto extends AuditFilterDto {
  @ApiPropertyOptional({ description: 'The `next` of the previous page.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LIMIT, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @Max(MAX_LIMIT)
  @Min(1)
  @IsInt()
  limit?: number;
}

export class AuditExportQueryDto extends AuditFilterDto {
  @ApiPropertyOptional({ enum: ['jsonl', 'csv'], default: 'jsonl' })
  @IsOptional()
  @IsIn(['jsonl', 'csv'])
  format?: 'jsonl' | 'csv';
}

export class AuditVerifyQueryDto {
  @ApiPropertyOptional({ description: 'Verify only this stream (e.g. issue-<id>); default: the whole log.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  stream?: string;
}
