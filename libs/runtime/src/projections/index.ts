export * from './projection';
export * from './errors';
export * from './lease';
export * from './status';
export { BatchContext, type ChangedDocument } from './batch-context';
export { ProjectionApplier, type AppliedBatch } from './applier';
export { EventFeed, type EventFeedOptions } from './event-feed';
export { ProjectionRunner, type ProjectionRunnerOptions, type StartRebuildOptions } from './projection-runner';
export { ProjectionEngine, type ProjectionEngineOptions } from './projection-engine';
