/**
 * What every adapter keeps about physical collections: which ones this process has already
 * created (so a read or write pays for that once), and the rule that a collection name belongs
 * to one projection.
 */
import type { CollectionDefinition, PhysicalCollection } from './collection';
import { GenerationConflictError } from './errors';

export class EnsuredCollections {
  private readonly keys = new Set<string>();

  // Keyed by owner too, so a second projection declaring the same name is still checked.
  private keyOf(target: PhysicalCollection): string {
    return `${target.collection.projection}/${target.name}`;
  }

  has(target: PhysicalCollection): boolean {
    return this.keys.has(this.keyOf(target));
  }

  add(target: PhysicalCollection): void {
    this.keys.add(this.keyOf(target));
  }

  /** Forgets physical collections once their drop is committed: using them again creates them. */
  forget(names: readonly string[]): void {
    const dropped = new Set(names);
    for (const key of this.keys) if (dropped.has(key.slice(key.indexOf('/') + 1))) this.keys.delete(key);
  }
}

/** `owner` is the projection the catalog records for the name, if any. */
export function assertCollectionOwner(collection: CollectionDefinition, owner: string | undefined): void {
  if (owner !== undefined && owner !== collection.projection) {
    throw new GenerationConflictError(collection.projection, `collection ${collection.name} already belongs to projection ${owner}`);
  }
}
