export * from './command';
export * from './command-pipeline';
export * from './idempotency';
export * from './retry';
export { nameUuid } from './name-uuid';
