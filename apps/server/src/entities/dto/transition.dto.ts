import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export class TransitionDto {
  @ApiProperty({ example: 'start' })
  @MaxLength(200)
  @IsNotEmpty()
  @IsString()
  transition: string;

  @ApiPropertyOptional({ description: 'Required by transitions marked `reason: required`.' })
  @IsOptional()
  @MaxLength(10_000)
  @IsString()
  reason?: string;

  @ApiPropertyOptional({ description: "The target state's data; checked against its `data` schema.", example: { pr_url: 'https://git.example.com/pr/7' } })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The `version` last read; stale → 409 version_conflict.' })
  @IsOptional()
  @Min(0)
  @IsInt()
  expectedVersion?: number;
}

export const DECISIONS = ['approve', 'reject'] as const;

export class ApprovalDto {
  @ApiProperty({ description: 'The gated transition whose pending request is decided.', example: 'activate' })
  @MaxLength(200)
  @IsNotEmpty()
  @IsString()
  transition: string;

  @ApiProperty({ enum: DECISIONS })
  @IsIn(DECISIONS)
  decision: (typeof DECISIONS)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @MaxLength(10_000)
  @IsString()
  comment?: string;
}

export class ScopeDto {
  @ApiProperty({ description: 'An issue of the sprint’s project.' })
  @MaxLength(200)
  @IsNotEmpty()
  @IsString()
  issueId: string;
}
