export * from './audit';
export * from './command-handling';
