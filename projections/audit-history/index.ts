export * from './collections';
export * from './audit.queries';
export * from './export';
export { summarize } from './summary';
export { auditHistoryProjection, entityOf } from './audit-history.projection';
