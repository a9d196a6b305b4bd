export * from './verify-log';
