/**
 * The burndown series: one point per UTC day from the sprint's start day to its end day (or, while
 * it runs, to today), each the remaining points at the end of that day. Days without a change
 * carry the previous day's value.
 */
import type { SprintDoc } from './collections';

export interface BurndownPoint {
  date: string;
  remaining: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** A bound on the series, so a sprint left open for years cannot make a huge answer. */
const MAX_DAYS = 366;

export function burndownSeries(sprint: Pick<SprintDoc, 'startedAt' | 'endedAt' | 'burndown'>, today: string): BurndownPoint[] {
  if (!sprint.startedAt) return [];
  const recorded = Object.keys(sprint.burndown).sort();
  const first = sprint.startedAt.slice(0, 10);
  const lastRecorded = recorded[recorded.length - 1] ?? first;
  const last = sprint.endedAt ? sprint.endedAt.slice(0, 10) : maxOf(lastRecorded, today.slice(0, 10));
  const series: BurndownPoint[] = [];
  let remaining = sprint.burndown[first] ?? 0;
  for (let day = Date.parse(`${first}T00:00:00Z`), end = Date.parse(`${last}T00:00:00Z`); day <= end && series.length < MAX_DAYS; day += DAY_MS) {
    const date = new Date(day).toISOString().slice(0, 10);
    remaining = sprint.burndown[date] ?? remaining;
    series.push({ date, remaining });
  }
  return series;
}

const maxOf = (a: string, b: string) => (a > b ? a : b);
