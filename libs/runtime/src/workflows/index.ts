/** The workflow runtime (WORKFLOWS.md at run time): everything but HTTP. */
export * from './workflow-runtime';
export * from './actions';
export * from './engine/driving-decider';
export * from './engine/execution-engine';
export * from './executions/execution-index';
export * from './executions/fold-state';
export * from './process-managers/workflow-process-managers';
export * from './reactions/reactor';
export * from './registry/registration';
export * from './registry/template-registry';
export * from './registry/workflow-registry';
export * from './scheduling/due-queue';
export * from './secrets/secrets';
export * from './simulation/simulate-request';
export * from './timers/timer-service';
export * from './workers/worker-queue';
