import { DomainError, entityDecider, lifecycleResolver, type EntityState } from '@trellis/domain';
import { compileLifecycle } from '@trellis/lifecycle';
import { readBuiltInDefinitions } from '../../lifecycles/built-in-definitions';
import { authorizedDecider, projectOf, rolesIn, type Authority } from './entity-access';

const lifecycles = readBuiltInDefinitions().map(({ source }) => {
  const compiled = compileLifecycle(source);
  if (!compiled.ok) throw new Error('built-in does not compile');
  return compiled.lifecycle;
});
const inner = entityDecider(lifecycleResolver(lifecycles));
const at = '2026-01-05T09:00:00.000Z';
const as = (actor: string, roles: Record<string, Authority['principal']['roles'][string]>, project?: string): Authority => ({
  principal: { actor, roles },
  need: 'write',
  occurredAt: at,
  ...(project ? { project } : {}),
});

function issueIn(project: string): EntityState {
  const events = inner.decide(
    { type: 'CreateEntity', entityId: 'i1', lifecycle: 'issue', projectId: project, fields: { title: 'x' }, actor: 'setup', roles: ['admin'], occurredAt: at },
    inner.initialState(),
  );
  if (events instanceof DomainError) throw events;
  return events.reduce(inner.evolve, inner.initialState());
}

describe('authorizedDecider', () => {
  const block = { type: 'TransitionEntity' as const, transition: 'block', reason: 'r' };

  it('lets a writer of the entity’s project decide, stamping actor, time and the roles held there', () => {
    const events = authorizedDecider(inner, as('ann', { p1: ['member'], '*': ['viewer'] })).decide(block, issueIn('p1'));
    expect(events).toEqual([expect.objectContaining({ type: 'IssueTransitioned', metadata: { actor: 'ann', occurredAt: at } })]);
  });

  it.each([[{ p1: ['viewer'] }], [{ p1: ['auditor'] }], [{ p2: ['admin'] }]] as const)('forbids %j to write in p1', (roles) => {
    expect(() => authorizedDecider(inner, as('eve', roles)).decide(block, issueIn('p1'))).toThrow(
      expect.objectContaining({ code: 'forbidden', details: expect.objectContaining({ project: 'p1' }) }),
    );
  });

  it('answers not_found for an entity that does not exist, whoever asks', () => {
    expect(authorizedDecider(inner, as('eve', { p9: ['viewer'] })).decide(block, inner.initialState())).toMatchObject({ code: 'not_found' });
  });

  it('checks a creation against the project it happens in', () => {
    const create = { type: 'CreateEntity' as const, entityId: 'i2', lifecycle: 'issue', projectId: 'p1', fields: { title: 'y' } };
    expect(() => authorizedDecider(inner, as('eve', { p2: ['member'] }, 'p1')).decide(create, inner.initialState())).toThrow(DomainError);
    expect(authorizedDecider(inner, as('ann', { p1: ['member'] }, 'p1')).decide(create, inner.initialState())).toHaveLength(1);
  });
});

describe('projectOf and rolesIn', () => {
  it('puts a project in its own scope and merges grants on "*"', () => {
    expect(projectOf({ ...issueIn('p1'), lifecycle: 'project', id: 'p7' })).toBe('p7');
    expect(projectOf(issueIn('p1'))).toBe('p1');
    expect(rolesIn({ '*': ['viewer'], p1: ['member', 'viewer'] }, 'p1')).toEqual(['viewer', 'member']);
    expect(rolesIn({ '*': ['viewer'], p1: ['member'] }, '*')).toEqual(['viewer']);
  });
});
