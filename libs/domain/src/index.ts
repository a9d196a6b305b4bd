export * from './decider';
export * from './errors';
export * from './state-at';
export * from './entity';
