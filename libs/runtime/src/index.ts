export * from './audit';
export * from './command-handling';
export * from './subscriptions';
export * from './process-managers';
export * from './workflows';
export * from './worker-client';
