import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';

export class LifecycleVersionQueryDto {
  @ApiPropertyOptional({ description: 'A registered version; omitted: the latest.', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @IsInt()
  version?: number;
}
