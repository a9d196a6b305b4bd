import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Card')
export class CardModel {
  @Field(() => ID) id: string;
  @Field(() => String, { nullable: true }) title: string | null;
  @Field(() => String, { nullable: true }) assignee: string | null;
  @Field(() => Float, { nullable: true }) points: number | null;
  @Field() state: string;
  @Field() blocked: boolean;
  @Field(() => String, { nullable: true, description: 'The state the issue was blocked in.' }) blockedFrom: string | null;
}

@ObjectType('BoardColumn')
export class ColumnModel {
  @Field({ description: 'An issue state.' }) state: string;
  @Field(() => Int, { description: 'Cards in the column.' }) wip: number;
  @Field(() => Float) points: number;
  @Field(() => [CardModel]) cards: CardModel[];
}

@ObjectType('BurndownPoint')
export class BurndownPointModel {
  @Field({ description: 'A UTC day, YYYY-MM-DD.' }) date: string;
  @Field(() => Float, { description: 'Points not finished at the end of the day.' }) remaining: number;
}

@ObjectType('BoardProject')
export class BoardProjectModel {
  @Field(() => ID) id: string;
  @Field(() => String, { nullable: true }) key: string | null;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field() state: string;
}

@ObjectType('BoardSprint')
export class BoardSprintModel {
  @Field(() => ID) id: string;
  @Field(() => String, { nullable: true }) projectId: string | null;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => String, { nullable: true }) goal: string | null;
  @Field() state: string;
  @Field(() => String, { nullable: true }) startedAt: string | null;
  @Field(() => String, { nullable: true }) endedAt: string | null;
  @Field(() => Float) remaining: number;
}

@ObjectType('Board')
export class BoardModel {
  @Field(() => BoardProjectModel) project: BoardProjectModel;
  @Field(() => BoardSprintModel, { nullable: true }) sprint: BoardSprintModel | null;
  @Field(() => [ColumnModel]) columns: ColumnModel[];
  @Field(() => [BurndownPointModel]) burndown: BurndownPointModel[];
}

@ObjectType('BoardChange', { description: 'A projected change to a project’s board; `board` is read when asked for.' })
export class BoardChangeModel {
  @Field(() => ID) projectId: string;
  @Field(() => Int, { description: 'The log position the board has applied up to.' }) position: number;
  @Field(() => [ID]) issueIds: string[];
  @Field(() => [ID]) sprintIds: string[];
}
