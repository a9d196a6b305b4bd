export * from './checkpoints';
export * from './durable-subscriber';
