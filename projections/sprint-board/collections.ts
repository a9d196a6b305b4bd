/** The sprint board's read model: projects, sprints (with their burndown) and one card per issue. */
import { defineCollection, type ReadDocument } from '@trellis/readstore';

export const SPRINT_BOARD = 'sprint-board';

export interface ProjectDoc extends ReadDocument {
  key: string | null;
  name: string | null;
  state: string;
  createdAt: string;
  updatedAt: string;
}

export interface SprintDoc extends ReadDocument {
  projectId: string | null;
  name: string | null;
  goal: string | null;
  state: string;
  /** When the sprint entered its started state; the burndown begins that day. */
  startedAt: string | null;
  /** When it reached its end state; the burndown stops that day. */
  endedAt: string | null;
  /** Points of the sprint's issues that are not finished, now. */
  remaining: number;
  /** UTC day → remaining points at the end of that day, for days with a change while the sprint ran. */
  burndown: Record<string, number>;
  /** Creation order (the position of its Created event). */
  rank: number;
  createdAt: string;
  updatedAt: string;
}

export interface CardDoc extends ReadDocument {
  projectId: string | null;
  sprintId: string | null;
  title: string | null;
  assignee: string | null;
  points: number | null;
  state: string;
  blocked: boolean;
  /** The state the issue was blocked in (where it goes back on unblock). */
  blockedFrom: string | null;
  rank: number;
  createdAt: string;
  updatedAt: string;
}

export const projects = defineCollection<ProjectDoc>({ projection: SPRINT_BOARD, name: 'projects' });
export const sprints = defineCollection<SprintDoc>({ projection: SPRINT_BOARD, name: 'sprints', indexes: ['projectId', 'rank'] });
export const cards = defineCollection<CardDoc>({ projection: SPRINT_BOARD, name: 'cards', indexes: ['projectId', 'sprintId', 'rank'] });
