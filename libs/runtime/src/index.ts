export * from './command-handling';
