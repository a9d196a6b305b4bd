/**
 * Each generation of a projection records the version of the projection that wrote it (see
 * Projection.version), in a small collection of the projection's own, so that a runner of a newer
 * version finds out at start that the documents it serves were written by an older one.
 */
import { defineCollection, type CollectionDefinition, type ReadDocument } from '@trellis/readstore';
import type { Projection } from './projection';

export interface VersionDoc extends ReadDocument {
  version: number;
}

/** The one document of the collection. */
export const VERSION_ID = 'version';

/**
 * `<projection>_version` (hyphens as underscores): collection names are unique across
 * projections, so a projection must not declare a collection of that name itself.
 */
export const versionCollectionName = (projection: string): string => `${projection.replace(/-/g, '_')}_version`;

const collections = new Map<string, CollectionDefinition<VersionDoc>>();

export function versionCollection(projection: Pick<Projection, 'name'>): CollectionDefinition<VersionDoc> {
  let collection = collections.get(projection.name);
  if (!collection) collections.set(projection.name, (collection = defineCollection<VersionDoc>({ projection: projection.name, name: versionCollectionName(projection.name), indexes: [] })));
  return collection;
}

export const projectionVersion = (projection: Pick<Projection, 'version'>): number => projection.version ?? 1;
