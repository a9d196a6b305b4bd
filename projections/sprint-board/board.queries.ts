/** GET /projects/{id}/board and GraphQL `board`, `project`, `sprint`: read from the sprint-board model only. */
import { DomainError } from '@trellis/domain';
import type { CollectionDefinition, FindResult, ReadDocument, ReadStore, Stored, Where } from '@trellis/readstore';
import { DEFAULT_BOARD_RULES, type BoardRules } from './board-rules';
import { burndownSeries, type BurndownPoint } from './burndown';
import { cards, projects, sprints, SPRINT_BOARD, type CardDoc, type ProjectDoc, type SprintDoc } from './collections';

export interface CardView {
  id: string;
  title: string | null;
  assignee: string | null;
  points: number | null;
  state: string;
  blocked: boolean;
  blockedFrom: string | null;
}

export interface ColumnView {
  state: string;
  /** Cards in the column. */
  wip: number;
  points: number;
  cards: CardView[];
}

export interface ProjectView {
  id: string;
  key: string | null;
  name: string | null;
  state: string;
}

export interface SprintView {
  id: string;
  projectId: string | null;
  name: string | null;
  goal: string | null;
  state: string;
  startedAt: string | null;
  endedAt: string | null;
  remaining: number;
}

export interface BoardView {
  project: ProjectView;
  /** Null for the backlog board (no sprint asked for, and the project has none). */
  sprint: SprintView | null;
  columns: ColumnView[];
  burndown: BurndownPoint[];
}

export interface BoardQueriesOptions {
  rules?: BoardRules;
  /** The clock that says which day "today" is for a running sprint's burndown. */
  now?: () => Date;
}

const PAGE = 1000;
const CACHED_BOARDS = 256;

export class BoardQueries {
  private readonly rules: BoardRules;
  private readonly now: () => Date;
  /**
   * Boards are read far more often than they change (clients poll them). A board is kept with
   * the read model's version it was read at — the active generation and its checkpoint, which
   * every committed batch moves, whichever node applied it — and the day (the burndown's today),
   * and served again only while all three are unchanged.
   */
  private readonly cache = new Map<string, { version: string; board: BoardView }>();

  constructor(
    private readonly store: ReadStore,
    options: BoardQueriesOptions = {},
  ) {
    this.rules = options.rules ?? DEFAULT_BOARD_RULES;
    this.now = options.now ?? (() => new Date());
  }

  /** The board of `sprintId`, or (omitted) of the project's running sprint, else its latest, else its backlog. */
  async board(projectId: string, sprintId?: string): Promise<BoardView> {
    const info = await this.store.generations(SPRINT_BOARD);
    const version = `${info.active}:${info.checkpoints[info.active] ?? 0}:${this.now().toISOString().slice(0, 10)}`;
    const key = `${projectId}\u0000${sprintId ?? ''}`;
    const cached = this.cache.get(key);
    if (cached?.version === version) return cached.board;
    const board = await this.read(projectId, sprintId);
    this.cache.delete(key);
    this.cache.set(key, { version, board });
    if (this.cache.size > CACHED_BOARDS) this.cache.delete(this.cache.keys().next().value!);
    return board;
  }

  private async read(projectId: string, sprintId?: string): Promise<BoardView> {
    const project = await this.project(projectId);
    const sprint = sprintId === undefined ? await this.defaultSprint(projectId) : await this.sprintOf(projectId, sprintId);
    const where: Where<CardDoc> = sprint ? { sprintId: sprint.id } : { projectId, sprintId: null };
    const found = await this.all(cards, where);
    return {
      project,
      sprint: sprint && sprintView(sprint),
      columns: this.columns(found),
      burndown: sprint ? burndownSeries(sprint, this.now().toISOString()) : [],
    };
  }

  async project(id: string): Promise<ProjectView> {
    const project = await this.store.get(projects, id);
    if (!project) throw new DomainError('not_found', `no project ${id}`, { projectId: id });
    return projectView(project);
  }

  async sprint(id: string): Promise<SprintView> {
    const sprint = await this.store.get(sprints, id);
    if (!sprint) throw new DomainError('not_found', `no sprint ${id}`, { sprintId: id });
    return sprintView(sprint);
  }

  /** An issue's card, wherever it is. */
  async card(id: string): Promise<(CardView & { projectId: string | null; sprintId: string | null }) | null> {
    const card = await this.store.get(cards, id);
    return card && { ...cardView(card), projectId: card.projectId, sprintId: card.sprintId };
  }

  private async sprintOf(projectId: string, sprintId: string): Promise<Stored<SprintDoc>> {
    const sprint = await this.store.get(sprints, sprintId);
    if (!sprint || sprint.projectId !== projectId) {
      throw new DomainError('not_found', `no sprint ${sprintId} in project ${projectId}`, { projectId, sprintId });
    }
    return sprint;
  }

  private async defaultSprint(projectId: string): Promise<Stored<SprintDoc> | null> {
    const recent = await this.store.find(sprints, { where: { projectId }, sort: { field: 'rank', direction: 'desc' }, limit: 100 });
    return recent.items.find((s) => s.startedAt !== null && s.endedAt === null) ?? recent.items[0] ?? null;
  }

  /** Columns in the lifecycle's state order, then any state the definition does not list (a newer version's). */
  private columns(found: readonly CardDoc[]): ColumnView[] {
    const columns = new Map<string, ColumnView>(this.rules.issueStates.map((state) => [state, { state, wip: 0, points: 0, cards: [] }]));
    for (const card of found) {
      let column = columns.get(card.state);
      if (!column) columns.set(card.state, (column = { state: card.state, wip: 0, points: 0, cards: [] }));
      column.cards.push(cardView(card));
      column.wip += 1;
      column.points += card.points ?? 0;
    }
    return [...columns.values()];
  }

  private async all<T extends ReadDocument & { rank: number }>(collection: CollectionDefinition<T>, where: Where<T>): Promise<Stored<T>[]> {
    const items: Stored<T>[] = [];
    let after: string | null = null;
    do {
      const page: FindResult<Stored<T>> = await this.store.find(collection, { where, sort: { field: 'rank' }, limit: PAGE, after });
      items.push(...page.items);
      after = page.nextCursor;
    } while (after);
    return items;
  }
}

const projectView = (p: ProjectDoc): ProjectView => ({ id: p.id, key: p.key, name: p.name, state: p.state });

const sprintView = (s: SprintDoc): SprintView => ({
  id: s.id,
  projectId: s.projectId,
  name: s.name,
  goal: s.goal,
  state: s.state,
  startedAt: s.startedAt,
  endedAt: s.endedAt,
  remaining: s.remaining,
});

const cardView = (c: CardDoc): CardView => ({
  id: c.id,
  title: c.title,
  assignee: c.assignee,
  points: c.points,
  state: c.state,
  blocked: c.blocked,
  blockedFrom: c.blockedFrom,
});
