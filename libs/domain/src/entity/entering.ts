/**
 * What entering a state sets off, decided together with the transition so that it lands in the
 * same append: the `on_enter` hooks (LIFECYCLES.md, hooks) and, for a sprint that closes, the
 * release of its issues to the backlog.
 */
import { hooksEntered, type CompiledLifecycle } from '@trellis/lifecycle';
import { defined, type Emit } from './emit';
import type { EntityEvent, EntityEventData } from './events';
import { entityView, evolve, type EntityState } from './state';

/** The Transitioned event and everything entering its target sets off. */
export function enter(lifecycle: CompiledLifecycle, state: EntityState, transitioned: EntityEventData['Transitioned'], emit: Emit): EntityEvent[] {
  const event = emit('Transitioned', defined(transitioned));
  return [event, ...enteredEvents(lifecycle, evolve(state, event), transitioned.from, emit)];
}

/** `after` is the entity with the entering event folded in; its version is that event's revision. */
export function enteredEvents(lifecycle: CompiledLifecycle, after: EntityState, from: string | undefined, emit: Emit): EntityEvent[] {
  const events: EntityEvent[] = [];
  // What the hooks' templates see: built only for an entry that sets off a hook (most do not).
  let entity: Record<string, unknown> | undefined;
  for (const hook of hooksEntered(lifecycle, from, after.state)) {
    entity ??= entityView(after);
    const { input, errors } = hook.render(entity);
    events.push(emit('HookTriggered', defined({
      hook: hook.index,
      ref: hook.startWorkflow.ref,
      input,
      state: after.state,
      entry: after.version,
      errors: errors.length > 0 ? errors : undefined,
    })));
  }
  // The sprint cannot see its issues' states; the process manager asks each issue (ReturnIssueToBacklog).
  if (after.scope && after.scope.length > 0 && lifecycle.states[after.state]?.final) {
    events.push(emit('IssuesReleased', { issueIds: after.scope, state: after.state }));
  }
  return events;
}
