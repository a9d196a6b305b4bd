export * from './commands';
export * from './events';
export * from './state';
export * from './entity.decider';
export { FINISHED_ISSUE_STATE, ISSUE_LIFECYCLE, SPRINT_LIFECYCLE } from './scope-rules';
export { entityIdOf, entityStreamId } from './streams';
