/** Shared by the entity specs: the built-in lifecycles as shipped, the decider, commands and events. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { compileLifecycle, type CompiledLifecycle, type Role } from '@trellis/lifecycle';
import { deciderSpec } from '../../testing/given-when-then';
import type { CommandContext, CreateEntity, DecideApproval, TransitionEntity } from '../commands';
import { entityDecider, lifecycleResolver } from '../entity.decider';
import { entityEventType, type EntityEvent, type EntityFact } from '../events';

export const DEFINITIONS = join(__dirname, '../../../../../definitions/lifecycles');

export function compileOrThrow(source: string, version = 1): CompiledLifecycle {
  const result = compileLifecycle(source, { version });
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.lifecycle;
}

export const builtIn = (name: string) => compileOrThrow(readFileSync(join(DEFINITIONS, `${name}.yaml`), 'utf8'));

export const lifecycles = { project: builtIn('project'), sprint: builtIn('sprint'), issue: builtIn('issue') };
export const decider = entityDecider(lifecycleResolver(Object.values(lifecycles)));
export const { given } = deciderSpec(decider);

export const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 9, minute)).toISOString();

export const as = (actor: string, roles: Role[] = ['member'], minute = 1): CommandContext => ({ actor, roles, occurredAt: at(minute) });

export const create = (lifecycle: string, fields: Record<string, unknown>, who = as('alice'), entityId = `${lifecycle}-1`): CreateEntity => ({
  type: 'CreateEntity',
  entityId,
  lifecycle,
  fields,
  ...who,
});

export const transition = (name: string, extra: Partial<TransitionEntity> = {}, who = as('alice')): TransitionEntity => ({
  type: 'TransitionEntity',
  transition: name,
  ...who,
  ...extra,
});

export const approve = (name: string, who: CommandContext, comment?: string): DecideApproval => ({
  type: 'DecideApproval',
  transition: name,
  decision: 'approve',
  ...(comment ? { comment } : {}),
  ...who,
});

export const reject = (name: string, who: CommandContext, comment?: string): DecideApproval => ({
  type: 'DecideApproval',
  transition: name,
  decision: 'reject',
  ...(comment ? { comment } : {}),
  ...who,
});

export const event = <F extends EntityFact>(lifecycle: string, fact: F, data: Record<string, unknown>, minute = 0): EntityEvent =>
  ({ type: entityEventType(lifecycle, fact), data, metadata: { actor: 'setup', occurredAt: at(minute) } }) as EntityEvent;

export const FIELDS: Record<string, Record<string, unknown>> = {
  project: { key: 'TRL', name: 'Trellis' },
  sprint: { name: 'Sprint 1' },
  issue: { title: 'Fix the login', points: 3, assignee: 'bob' },
};

/**
 * Events that put an entity straight into `path`'s last state, through the states before it (the
 * trail a history target looks back through). evolve needs no lifecycle, so this is a fair given.
 */
export function placedIn(lifecycle: string, path: string[], fields = FIELDS[lifecycle], data: Record<string, Record<string, unknown>> = {}): EntityEvent[] {
  const definition = lifecycles[lifecycle as keyof typeof lifecycles];
  const events = [
    event(lifecycle, 'Created', { id: `${lifecycle}-1`, lifecycle, lifecycleVersion: 1, state: definition.initial, fields, actor: 'setup' }),
  ];
  let from = definition.initial;
  for (const [index, to] of path.entries()) {
    if (index === 0 && to === from) continue;
    events.push(event(lifecycle, 'Transitioned', { transition: 'setup', from, to, data: data[to] ?? {}, actor: 'setup', approvals: [] }, index + 1));
    from = to;
  }
  return events;
}

export const PR_URL = 'https://git.example.com/trellis/pull/7';
