/**
 * core.transition: fires a lifecycle transition on an entity (`{lifecycle, entity, transition,
 * reason?, data?}`); the result is the entity's new state. The runtime knows no lifecycles: the
 * server plugs in how an entity command is carried out (EntityTransitioner).
 */
import { ActionFailure, isMap, requireText, type InProcessAction } from './action';

export interface EntityTransitionRequest {
  lifecycle: string;
  entity: string;
  transition: string;
  reason?: string;
  data?: Record<string, unknown>;
}

export interface EntityTransitionContext {
  /** Who the entity's history names: the execution, on behalf of whoever started it. */
  actor: string;
  /** The run's key: a retried attempt does not move the entity twice. */
  idempotencyKey: string;
  correlationId: string;
}

export type EntityTransitioner = (request: EntityTransitionRequest, context: EntityTransitionContext) => Promise<unknown>;

export function transitionAction(transitioner: EntityTransitioner | undefined): InProcessAction {
  return async (input, context) => {
    if (!transitioner) throw new ActionFailure('unavailable', 'core.transition: no lifecycle entities are served by this runtime');
    const spec = isMap(input) ? input : {};
    const request: EntityTransitionRequest = {
      lifecycle: requireText(spec, 'lifecycle', 'core.transition'),
      entity: requireText(spec, 'entity', 'core.transition'),
      transition: requireText(spec, 'transition', 'core.transition'),
      ...(typeof spec.reason === 'string' ? { reason: spec.reason } : {}),
      ...(isMap(spec.data) ? { data: spec.data } : {}),
    };
    return transitioner(request, {
      actor: `workflow:${context.executionId}`,
      idempotencyKey: context.idempotencyKey,
      correlationId: context.executionId,
    });
  };
}
