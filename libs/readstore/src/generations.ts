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
