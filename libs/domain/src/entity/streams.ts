/**
 * One stream per entity (DESIGN.md, Event model): `project-<id>`, `sprint-<id>`, `issue-<id>`,
 * and `<lifecycle>-<id>` for the entities of a registered lifecycle.
 */
export const entityStreamId = (lifecycle: string, id: string): string => `${lifecycle}-${id}`;

/** The entity id of a stream of `lifecycle`; undefined for another lifecycle's stream. */
export function entityIdOf(lifecycle: string, streamId: string): string | undefined {
  const prefix = `${lifecycle}-`;
  return streamId.startsWith(prefix) && streamId.length > prefix.length ? streamId.slice(prefix.length) : undefined;
}
