import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { JSONScalar } from '../json.scalar';

/** A project, sprint, issue or registered lifecycle's entity, as GET /{kind}/{id} shows it. */
@ObjectType('Entity')
export class EntityModel {
  @Field(() => ID) id: string;
  @Field() lifecycle: string;
  @Field(() => Int) lifecycleVersion: number;
  @Field(() => String, { nullable: true }) projectId?: string;
  @Field() state: string;
  @Field(() => JSONScalar) data: unknown;
  @Field(() => JSONScalar) fields: unknown;
  @Field(() => Int) version: number;
  @Field(() => JSONScalar) pendingApprovals: unknown;
  @Field(() => [String], { nullable: true }) scope?: string[];
  @Field(() => String, { nullable: true }) sprintId?: string;
  @Field() createdAt: string;
  @Field() updatedAt: string;
  @Field(() => JSONScalar, { nullable: true, description: 'Set when the command recorded an approval request instead of transitioning (REST 202).' })
  pendingApproval?: unknown;
}
