import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

export class RebuildQueryDto {
  @ApiPropertyOptional({ description: 'Drop a canceled or interrupted rebuild and start from position 0 instead of resuming it.' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  fresh?: boolean;
}
