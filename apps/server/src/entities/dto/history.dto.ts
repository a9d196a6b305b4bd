import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RecordedEvent } from '@trellis/eventstore';

export class HistoryEventDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'Place in the entity’s stream, from 0.' }) revision: number;
  @ApiProperty({ description: 'Place in the global log.' }) position: number;
  @ApiProperty({ example: 'IssueTransitioned' }) type: string;
  @ApiProperty() data: unknown;
  @ApiProperty() actor: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty() correlationId: string;
  @ApiPropertyOptional({ nullable: true }) causationId: string | null;
}

export class HistoryPageDto {
  @ApiProperty({ type: [HistoryEventDto] }) events: HistoryEventDto[];
  @ApiProperty({ nullable: true, description: 'Pass as `after` for the next page; null on the last page.' }) next: number | null;
}

export const toHistoryEventDto = (e: RecordedEvent): HistoryEventDto => ({
  id: e.id,
  revision: e.revision,
  position: e.position,
  type: e.type,
  data: e.data,
  actor: e.metadata.actor,
  occurredAt: e.metadata.occurredAt,
  correlationId: e.metadata.correlationId,
  causationId: e.metadata.causationId,
});
