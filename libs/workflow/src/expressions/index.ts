export * from './cel';
export * from './template';
export * from './helpers';
export * from './references';
