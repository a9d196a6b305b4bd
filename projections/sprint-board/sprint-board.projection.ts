/**
 * The sprint board: a card per issue (its column is its state), each sprint with the points still
 * remaining and their value at the end of each day since the sprint started (the burndown), and
 * the projects. An issue is on a sprint's board while its own stream says it is scheduled there
 * (the issue's stream is the truth for "in which sprint": see libs/domain, entity/scope.ts).
 */
import { ISSUE_LIFECYCLE, SPRINT_LIFECYCLE, type EntityEventData } from '@trellis/domain';
import type { RecordedEvent } from '@trellis/eventstore';
import { upsertOp, type WriteOp } from '@trellis/readstore';
import type { Projection, ProjectionContext } from '@trellis/runtime/projections';
import { dayOf, entityEventTypes, entityIdFor, factFor, occurredAt } from '../common/events';
import { DEFAULT_BOARD_RULES, type BoardRules } from './board-rules';
import { cards, projects, sprints, SPRINT_BOARD, type CardDoc, type SprintDoc } from './collections';

const PROJECT_LIFECYCLE = 'project';
type Data = EntityEventData;

export function sprintBoardProjection(rules: BoardRules = DEFAULT_BOARD_RULES): Projection {
  const finished = new Set(rules.finishedStates);
  const remainingIn = (card: CardDoc | null, sprintId: string) =>
    card && card.sprintId === sprintId && !finished.has(card.state) ? (card.points ?? 0) : 0;

  const applyToCard = async (event: RecordedEvent, ctx: ProjectionContext, change: (card: CardDoc) => CardDoc): Promise<WriteOp[]> => {
    const id = entityIdFor(ISSUE_LIFECYCLE, event);
    const before = id === undefined ? null : await ctx.get(cards, id);
    if (!before) return [];
    const after = { ...change(before), updatedAt: occurredAt(event) };
    return [upsertOp(cards, after), ...(await burndownWrites(before, after, event, ctx))];
  };

  // The card's remaining points move between sprints (or in and out of "remaining"): each sprint
  // whose total changes records its new total for today's point of the burndown.
  const burndownWrites = async (before: CardDoc, after: CardDoc, event: RecordedEvent, ctx: ProjectionContext): Promise<WriteOp[]> => {
    const writes: WriteOp[] = [];
    for (const sprintId of new Set([before.sprintId, after.sprintId])) {
      if (sprintId === null) continue;
      const delta = remainingIn(after, sprintId) - remainingIn(before, sprintId);
      const sprint = delta === 0 ? null : await ctx.get(sprints, sprintId);
      if (sprint) writes.push(upsertOp(sprints, recordRemaining(sprint, sprint.remaining + delta, occurredAt(event))));
    }
    return writes;
  };

  const issue = async (event: RecordedEvent, ctx: ProjectionContext): Promise<WriteOp[]> => {
    const at = occurredAt(event);
    switch (factFor(ISSUE_LIFECYCLE, event)) {
      case 'Created': {
        const data = event.data as Data['Created'];
        const card: CardDoc = {
          id: data.id,
          projectId: data.projectId ?? null,
          sprintId: null,
          title: stringOrNull(data.fields.title),
          assignee: stringOrNull(data.fields.assignee),
          points: numberOrNull(data.fields.points),
          state: data.state,
          blocked: data.state === rules.blockedState,
          blockedFrom: null,
          rank: event.position,
          createdAt: at,
          updatedAt: at,
        };
        return [upsertOp(cards, card)];
      }
      case 'FieldsChanged': {
        const { fields } = event.data as Data['FieldsChanged'];
        return applyToCard(event, ctx, (card) => ({
          ...card,
          ...('title' in fields ? { title: stringOrNull(fields.title) } : {}),
          ...('assignee' in fields ? { assignee: stringOrNull(fields.assignee) } : {}),
          ...('points' in fields ? { points: numberOrNull(fields.points) } : {}),
        }));
      }
      case 'Transitioned': {
        const { from, to } = event.data as Data['Transitioned'];
        const blocked = to === rules.blockedState;
        return applyToCard(event, ctx, (card) => ({ ...card, state: to, blocked, blockedFrom: blocked ? from : null }));
      }
      case 'Scheduled': {
        const { sprintId } = event.data as Data['Scheduled'];
        return applyToCard(event, ctx, (card) => ({ ...card, sprintId }));
      }
      case 'Unscheduled':
        return applyToCard(event, ctx, (card) => ({ ...card, sprintId: null }));
      default:
        return [];
    }
  };

  const recordRemaining = (sprint: SprintDoc, remaining: number, at: string, state = sprint.state): SprintDoc => {
    const startedAt = sprint.startedAt ?? (state === rules.sprintStartState ? at : null);
    const endedAt = sprint.endedAt ?? (rules.sprintEndStates.includes(state) ? at : null);
    // Recorded from the start up to and including the day the sprint ends, not after.
    const recording = startedAt !== null && sprint.endedAt === null;
    const burndown = recording ? { ...sprint.burndown, [dayOf(at)]: remaining } : sprint.burndown;
    return { ...sprint, state, startedAt, endedAt, remaining, burndown, updatedAt: at };
  };

  const sprint = async (event: RecordedEvent, ctx: ProjectionContext): Promise<WriteOp[]> => {
    const at = occurredAt(event);
    const fact = factFor(SPRINT_LIFECYCLE, event);
    if (fact === 'Created') {
      const data = event.data as Data['Created'];
      const doc: SprintDoc = {
        id: data.id,
        projectId: data.projectId ?? null,
        name: stringOrNull(data.fields.name),
        goal: stringOrNull(data.fields.goal),
        state: data.state,
        startedAt: null,
        endedAt: null,
        remaining: 0,
        burndown: {},
        rank: event.position,
        createdAt: at,
        updatedAt: at,
      };
      return [upsertOp(sprints, doc)];
    }
    if (fact !== 'FieldsChanged' && fact !== 'Transitioned') return [];
    const id = entityIdFor(SPRINT_LIFECYCLE, event);
    const current = id === undefined ? null : await ctx.get(sprints, id);
    if (!current) return [];
    if (fact === 'Transitioned') {
      const { to } = event.data as Data['Transitioned'];
      return [upsertOp(sprints, recordRemaining(current, current.remaining, at, to))];
    }
    const { fields } = event.data as Data['FieldsChanged'];
    return [
      upsertOp(sprints, {
        ...current,
        ...('name' in fields ? { name: stringOrNull(fields.name) } : {}),
        ...('goal' in fields ? { goal: stringOrNull(fields.goal) } : {}),
        updatedAt: at,
      }),
    ];
  };

  const project = async (event: RecordedEvent, ctx: ProjectionContext): Promise<WriteOp[]> => {
    const at = occurredAt(event);
    const fact = factFor(PROJECT_LIFECYCLE, event);
    if (fact === 'Created') {
      const data = event.data as Data['Created'];
      const doc = { id: data.id, key: stringOrNull(data.fields.key), name: stringOrNull(data.fields.name), state: data.state, createdAt: at, updatedAt: at };
      return [upsertOp(projects, doc)];
    }
    if (fact !== 'FieldsChanged' && fact !== 'Transitioned') return [];
    const id = entityIdFor(PROJECT_LIFECYCLE, event);
    const current = id === undefined ? null : await ctx.get(projects, id);
    if (!current) return [];
    if (fact === 'Transitioned') return [upsertOp(projects, { ...current, state: (event.data as Data['Transitioned']).to, updatedAt: at })];
    const { fields } = event.data as Data['FieldsChanged'];
    return [
      upsertOp(projects, {
        ...current,
        ...('key' in fields ? { key: stringOrNull(fields.key) } : {}),
        ...('name' in fields ? { name: stringOrNull(fields.name) } : {}),
        updatedAt: at,
      }),
    ];
  };

  return {
    name: SPRINT_BOARD,
    collections: [projects, sprints, cards],
    eventTypes: [
      ...entityEventTypes(ISSUE_LIFECYCLE, ['Created', 'FieldsChanged', 'Transitioned', 'Scheduled', 'Unscheduled']),
      ...entityEventTypes(SPRINT_LIFECYCLE, ['Created', 'FieldsChanged', 'Transitioned']),
      ...entityEventTypes(PROJECT_LIFECYCLE, ['Created', 'FieldsChanged', 'Transitioned']),
    ],
    keys(event) {
      const issueId = entityIdFor(ISSUE_LIFECYCLE, event);
      if (issueId !== undefined) return [{ collection: cards, id: issueId }];
      const sprintId = entityIdFor(SPRINT_LIFECYCLE, event);
      if (sprintId !== undefined) return [{ collection: sprints, id: sprintId }];
      const projectId = entityIdFor(PROJECT_LIFECYCLE, event);
      return projectId === undefined ? [] : [{ collection: projects, id: projectId }];
    },
    apply(event, ctx) {
      if (event.streamId.startsWith(`${ISSUE_LIFECYCLE}-`)) return issue(event, ctx);
      if (event.streamId.startsWith(`${SPRINT_LIFECYCLE}-`)) return sprint(event, ctx);
      return project(event, ctx);
    },
  };
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
