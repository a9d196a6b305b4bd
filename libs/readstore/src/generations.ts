/**
 * Generations of a projection's collections, for rebuilds without downtime (blue/green): a
 * rebuild fills a new generation while the active one serves reads, then the projection
 * switches to it in one atomic step; the old one is dropped afterwards.
 *
 *   active ──createGeneration──▶ active + building ──switchGeneration──▶ active(new) + retired(old)
 *                                      │                                         │
 *                          dropGeneration (cancel)                   dropGeneration (clean up)
 *
 * Every generation has its own checkpoint. Numbers only grow and are never reused, so a
 * generation dropped half-way can never leak documents into a later one.
 */
import { GenerationConflictError } from './errors';

export interface ProjectionGenerations {
  readonly projection: string;
  /** The generation reads go to. */
  readonly active: number;
  /** The generation a rebuild is filling, if any. */
  readonly building: number | null;
  /** Generations switched away from and not dropped yet (still readable by number). */
  readonly retired: readonly number[];
  /** The highest generation number handed out so far. */
  readonly lastGeneration: number;
  /** Checkpoint (last global position applied) of every generation that exists. */
  readonly checkpoints: Readonly<Record<number, number>>;
}

/** A projection nothing was ever written for: generation 1, active, at position 0. */
export function initialGenerations(projection: string): ProjectionGenerations {
  return { projection, active: 1, building: null, retired: [], lastGeneration: 1, checkpoints: { 1: 0 } };
}

export function generationExists(info: ProjectionGenerations, generation: number): boolean {
  return generation === info.active || generation === info.building || info.retired.includes(generation);
}

/** Reads may address any generation that exists; retired ones until they are dropped. */
export function assertReadable(info: ProjectionGenerations, generation: number): void {
  if (!generationExists(info, generation)) {
    throw new GenerationConflictError(info.projection, `generation ${generation} does not exist`);
  }
}

/** Writes go to the active generation or the one being built; a retired one is frozen. */
export function assertWritable(info: ProjectionGenerations, generation: number): void {
  if (generation !== info.active && generation !== info.building) {
    throw new GenerationConflictError(
      info.projection,
      `generation ${generation} is not writable (active ${info.active}, building ${info.building ?? 'none'})`,
    );
  }
}

export function nextGeneration(info: ProjectionGenerations): number {
  if (info.building !== null) {
    throw new GenerationConflictError(info.projection, `generation ${info.building} is already being built`);
  }
  return info.lastGeneration + 1;
}

export function assertSwitchable(info: ProjectionGenerations, generation: number): void {
  if (generation !== info.building) {
    throw new GenerationConflictError(
      info.projection,
      `only the generation being built can become active (building ${info.building ?? 'none'}, asked ${generation})`,
    );
  }
}

export function assertDroppable(info: ProjectionGenerations, generation: number): void {
  if (generation === info.active) throw new GenerationConflictError(info.projection, `generation ${generation} is active`);
  assertReadable(info, generation);
}

/** A conflict found when a step or a batch re-checks the generations it decided on. */
export function generationsChanged(projection: string): GenerationConflictError {
  return new GenerationConflictError(projection, 'the generations changed meanwhile (another rebuild or process?); try again');
}

/** createGeneration decided on `current`; `now` is what the store holds inside the step's transaction. */
export function assertUnchanged(now: ProjectionGenerations | null, current: ProjectionGenerations): void {
  const changed = now ? now.lastGeneration !== current.lastGeneration || now.building !== null : current.lastGeneration !== 1;
  if (changed) throw generationsChanged(current.projection);
}

// ---- generations as rows: the SQL adapters keep one row per generation ----

/** Rows are never deleted (dropped ones are marked), so generation numbers are never reused. */
export type GenerationStatus = 'active' | 'building' | 'retired' | 'dropped';

export interface GenerationRow {
  generation: number;
  status: GenerationStatus;
  checkpoint: number;
}

/** A projection's generations from its rows in generation order; null when it has none. */
export function generationsFromRows(projection: string, rows: readonly GenerationRow[]): ProjectionGenerations | null {
  if (rows.length === 0) return null;
  const live = rows.filter((row) => row.status !== 'dropped');
  return {
    projection,
    active: live.find((row) => row.status === 'active')?.generation ?? 1,
    building: live.find((row) => row.status === 'building')?.generation ?? null,
    retired: live.filter((row) => row.status === 'retired').map((row) => row.generation),
    lastGeneration: rows[rows.length - 1].generation,
    checkpoints: Object.fromEntries(live.map((row) => [row.generation, row.checkpoint])),
  };
}

/**
 * The checkpoint a batch has to pass, read inside its transaction: another process may have
 * switched or dropped the generation since the port checked it. A missing row is only allowed
 * for a projection's implicit first generation (see initialGenerations).
 */
export function writableCheckpoint(
  projection: string,
  generation: number,
  row: Pick<GenerationRow, 'status' | 'checkpoint'> | undefined,
): number {
  const writable = row ? row.status === 'active' || row.status === 'building' : generation === 1;
  if (!writable) throw new GenerationConflictError(projection, `generation ${generation} is not writable`);
  return row?.checkpoint ?? 0;
}
