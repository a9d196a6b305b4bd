export * from './process-manager';
export * from './sprint-scope';
