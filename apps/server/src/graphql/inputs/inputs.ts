/** GraphQL inputs, validated by the same global pipe (class-validator) as the REST DTOs. */
import { Field, InputType, Int } from '@nestjs/graphql';
import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_LIMIT } from '@trellis/readstore';
import { JSONScalar } from '../json.scalar';

@InputType()
export class PageInput {
  @Field(() => String, { nullable: true, description: 'The `next` of the previous page.' })
  @IsOptional()
  @IsString()
  after?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;
}

@InputType()
export class AuditFilterInput {
  @Field({ nullable: true }) @IsOptional() @IsString() entity?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() actor?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() type?: string;
  @Field({ nullable: true }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @Field({ nullable: true }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

@InputType()
export class ExecutionFilterInput {
  @Field({ nullable: true }) @IsOptional() @IsString() workflow?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() status?: string;
  @Field(() => JSONScalar, { nullable: true, description: 'Search fields of the workflow and the values asked for, e.g. {"issue": "I-7"}.' })
  @IsOptional()
  @IsObject()
  search?: Record<string, string>;
}

@InputType()
export class TransitionInput {
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) transition: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(10_000) reason?: string;
  @Field(() => JSONScalar, { nullable: true }) @IsOptional() @IsObject() data?: Record<string, unknown>;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) expectedVersion?: number;
}

@InputType()
export class ApprovalInput {
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) transition: string;
  @Field() @IsIn(['approve', 'reject']) decision: 'approve' | 'reject';
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(10_000) comment?: string;
}

@InputType()
export class StartExecutionInput {
  @Field(() => JSONScalar, { nullable: true }) @IsOptional() @IsObject() parameters?: Record<string, unknown>;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) version?: number;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) idempotencyKey?: string;
}
