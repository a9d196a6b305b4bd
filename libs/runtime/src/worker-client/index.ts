export * from './trellis-worker';
