export * from './event-store';
export * from './errors';
export { validateAppend, checkExpectedRevision } from './append-rules';
export {
  canonicalJson,
  ChainVerifier,
  type ChainBreak,
  computeEventHash,
  stampEvents,
  verifyChain,
  type ChainBreakReason,
  type ChainVerification,
  type StampedEvent,
  type StreamHead,
} from './hash-chain';
export { catchUpSubscription, HeadSignal, SubscriptionSet, type SubscriptionSource } from './subscription';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export type { GroupCommitStats } from './group-commit';
export type { SqliteSynchronous } from './sqlite/schema';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb/kurrentdb-event-store';
