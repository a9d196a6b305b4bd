export * from './cel';
export * from './template';
