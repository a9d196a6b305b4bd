import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { JSONScalar } from '../json.scalar';

@ObjectType('RebuildProgress')
export class RebuildProgressModel {
  @Field() status: string;
  @Field(() => Int) generation: number;
  @Field(() => String, { nullable: true }) startedAt: string | null;
  @Field(() => String, { nullable: true }) finishedAt: string | null;
  @Field(() => Float) position: number;
  @Field(() => Float) head: number;
  @Field(() => Float) done: number;
  @Field(() => Float) total: number;
  @Field(() => Float) eventsPerSecond: number;
  @Field(() => Float, { nullable: true }) etaSeconds: number | null;
  @Field(() => JSONScalar, { nullable: true }) error: unknown;
}

@ObjectType('ProjectionStatus')
export class ProjectionStatusModel {
  @Field() name: string;
  @Field() status: string;
  @Field(() => Int) generation: number;
  @Field(() => Float) checkpoint: number;
  @Field(() => Float) head: number;
  @Field(() => Float) lag: number;
  @Field(() => JSONScalar, { nullable: true }) error: unknown;
  @Field(() => RebuildProgressModel, { nullable: true }) rebuild: RebuildProgressModel | null;
}

@ObjectType('LifecycleSummary')
export class LifecycleSummaryModel {
  @Field() name: string;
  @Field(() => Int) version: number;
  @Field() entityType: string;
  @Field() registeredAt: string;
  @Field() registeredBy: string;
}

@ObjectType('WorkflowSummary')
export class WorkflowSummaryModel {
  @Field() ref: string;
  @Field(() => Int, { description: 'The latest version.' }) version: number;
  @Field(() => [Int]) versions: number[];
  @Field(() => String, { nullable: true }) description?: string;
  @Field() registeredAt: string;
  @Field() registeredBy: string;
}
