import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { JSONScalar } from '../json.scalar';

@ObjectType('TaskAttempt')
export class AttemptModel {
  @Field(() => Int) attempt: number;
  @Field() status: string;
  @Field() scheduledAt: string;
  @Field(() => String, { nullable: true }) startedAt: string | null;
  @Field(() => String, { nullable: true }) endedAt: string | null;
  @Field(() => Int, { nullable: true }) durationMs: number | null;
  @Field(() => String, { nullable: true }) worker: string | null;
  @Field(() => JSONScalar, { nullable: true }) error: unknown;
}

@ObjectType('TaskRun')
export class TaskRunModel {
  @Field(() => ID) runId: string;
  @Field() task: string;
  @Field(() => Int) activation: number;
  @Field(() => Int, { nullable: true }) item: number | null;
  @Field(() => String, { nullable: true }) action: string | null;
  @Field(() => String, { nullable: true }) kind: string | null;
  @Field() status: string;
  @Field(() => [AttemptModel]) attempts: AttemptModel[];
  @Field(() => JSONScalar, { nullable: true }) result: unknown;
  @Field(() => JSONScalar, { nullable: true }) error: unknown;
  @Field(() => String, { nullable: true }) childExecutionId: string | null;
}

@ObjectType('TaskRuns')
export class TaskRunsModel {
  @Field() task: string;
  @Field() status: string;
  @Field(() => [TaskRunModel]) runs: TaskRunModel[];
}

@ObjectType('ExecutionSummary')
export class ExecutionSummaryModel {
  @Field(() => ID) id: string;
  @Field() workflow: string;
  @Field(() => Int) version: number;
  @Field() status: string;
  @Field() actor: string;
  @Field(() => String, { nullable: true }) parentExecutionId: string | null;
  @Field(() => JSONScalar) search: unknown;
  @Field(() => JSONScalar, { nullable: true }) error: unknown;
  @Field() startedAt: string;
  @Field(() => String, { nullable: true }) endedAt: string | null;
  @Field() updatedAt: string;
}

@ObjectType('Execution')
export class ExecutionModel extends ExecutionSummaryModel {
  @Field(() => JSONScalar) parameters: unknown;
  @Field(() => JSONScalar) vars: unknown;
  @Field(() => JSONScalar, { nullable: true }) output: unknown;
  @Field(() => Int) retries: number;
  @Field(() => [TaskRunsModel]) tasks: TaskRunsModel[];
  @Field(() => JSONScalar, { description: 'What it waits for now: inquiries, workers, child executions, timers.' }) waits: unknown;
}

@ObjectType('ExecutionPage')
export class ExecutionPageModel {
  @Field(() => [ExecutionSummaryModel]) executions: ExecutionSummaryModel[];
  @Field(() => String, { nullable: true }) next: string | null;
}

@ObjectType('ExecutionStarted')
export class StartedExecutionModel {
  @Field(() => ID) id: string;
}

@ObjectType('ExecutionStatus')
export class ExecutionStatusModel {
  @Field(() => ID) id: string;
  @Field() status: string;
  @Field(() => String, { nullable: true }) task?: string;
}
