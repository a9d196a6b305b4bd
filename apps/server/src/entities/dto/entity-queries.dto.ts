import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';

export const DEFAULT_HISTORY_PAGE = 100;
export const MAX_HISTORY_PAGE = 1000;

export class HistoryQueryDto {
  @ApiPropertyOptional({ description: 'Return the events after this revision (the `next` of the previous page).', minimum: -1 })
  @IsOptional()
  @Type(() => Number)
  @Min(-1)
  @IsInt()
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_HISTORY_PAGE, default: DEFAULT_HISTORY_PAGE })
  @IsOptional()
  @Type(() => Number)
  @Max(MAX_HISTORY_PAGE)
  @Min(1)
  @IsInt()
  limit?: number;
}

/** Exactly one of the two (checked by the service: class-validator cannot say "one of"). */
export class StateQueryDto {
  @ApiPropertyOptional({ description: 'An ISO-8601 time: the state as of then.', example: '2026-01-05T09:30:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;

  @ApiPropertyOptional({ description: 'A revision of the entity’s stream (0 = its creation): the state right after it.', minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @Min(0)
  @IsInt()
  revision?: number;
}
