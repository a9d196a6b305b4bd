import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export type Status = 'ok' | 'unavailable';

export class EventStoreHealthDto {
  @ApiProperty({ example: 'sqlite' })
  backend: string;

  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status: Status;

  @ApiPropertyOptional({ description: 'The database file, for the embedded store.' })
  file?: string;

  @ApiPropertyOptional({ description: 'Global position of the last event.' })
  headPosition?: number;

  @ApiPropertyOptional({ description: 'Why the probe failed.' })
  error?: string;
}

export class BackendsHealthDto {
  @ApiProperty({ type: EventStoreHealthDto })
  eventStore: EventStoreHealthDto;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status: Status;

  @ApiProperty({ type: BackendsHealthDto })
  backends: BackendsHealthDto;
}
