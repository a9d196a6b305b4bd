import type { Provider } from '@nestjs/common';
import { entityDecider, type EntityDecider } from '@trellis/domain';
import { LifecycleRegistry } from '../lifecycles/lifecycle-registry';

/** DI token of the one entity decider, resolving definitions through the lifecycle registry. */
export const ENTITY_DECIDER = Symbol('EntityDecider');

export const entityDeciderProvider: Provider<EntityDecider> = {
  provide: ENTITY_DECIDER,
  inject: [LifecycleRegistry],
  useFactory: (registry: LifecycleRegistry) => entityDecider(registry.resolve),
};
