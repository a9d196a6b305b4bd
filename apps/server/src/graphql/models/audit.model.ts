import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('AuditEntry')
export class AuditEntryModel {
  @Field(() => ID) id: string;
  @Field(() => Int) position: number;
  @Field() eventId: string;
  @Field() streamId: string;
  @Field(() => Int) revision: number;
  @Field() entityType: string;
  @Field() entity: string;
  @Field() type: string;
  @Field() actor: string;
  @Field() occurredAt: string;
  @Field() summary: string;
  @Field() correlationId: string;
  @Field(() => String, { nullable: true }) causationId: string | null;
}

@ObjectType('AuditPage')
export class AuditPageModel {
  @Field(() => [AuditEntryModel]) entries: AuditEntryModel[];
  @Field(() => String, { nullable: true, description: 'Pass as page.after for the next page; null on the last.' }) next: string | null;
}
