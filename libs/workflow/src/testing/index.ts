export * from './given';
export * from './yaml';
