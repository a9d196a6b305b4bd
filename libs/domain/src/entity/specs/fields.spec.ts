/** Creating entities and patching their fields against the lifecycle's `fields` schema. */
import type { ChangeFields } from '../commands';
import { as, create, given, placedIn } from './fixtures';

const patch = (fields: Record<string, unknown>, extra: Partial<ChangeFields> = {}): ChangeFields => ({ type: 'ChangeFields', fields, ...as('alice'), ...extra });

describe('create', () => {
  it('a project needs a key and a name', () => {
    given().when(create('project', { name: 'Trellis' })).then({
      error: 'validation_failed',
      details: { violations: [{ path: 'key', message: "'key' is required" }] },
    });
    given().when(create('project', { key: 'trl', name: '' })).then({
      error: 'validation_failed',
      details: { violations: [{ path: 'key' }, { path: 'name' }] },
    });
  });

  it('records the lifecycle name and version, the initial state and the fields', () => {
    const { state } = given().when({ ...create('project', { key: 'TRL', name: 'Trellis' }), projectId: undefined }).then([
      {
        type: 'ProjectCreated',
        data: { id: 'project-1', lifecycle: 'project', lifecycleVersion: 1, state: 'Draft', fields: { key: 'TRL', name: 'Trellis' }, actor: 'alice' },
      },
    ]);
    expect(state).toMatchObject({ exists: true, lifecycle: 'project', lifecycleVersion: 1, state: 'Draft', version: 0, createdAt: as('alice').occurredAt });
  });

  it('issues and sprints belong to a project', () => {
    given().when({ ...create('issue', { title: 'Fix it' }), projectId: 'project-1' }).then([{ data: { projectId: 'project-1' } }]);
  });

  it('an unknown lifecycle or a second create are rejected', () => {
    given().when(create('epic', { title: 'x' })).then({ error: 'not_found', message: "no lifecycle 'epic'" });
    given(placedIn('issue', ['Backlog'])).when(create('issue', { title: 'again' })).then({ error: 'version_conflict' });
  });

  it('commands other than create need an entity', () => {
    given().when(patch({ title: 'x' })).then({ error: 'not_found' });
  });
});

describe('patch fields', () => {
  const issue = placedIn('issue', ['Backlog'], { title: 'Fix the login', points: 3 });

  it('records only what changed', () => {
    given(issue).when(patch({ title: 'Fix the login', assignee: 'bob' })).then([
      { type: 'IssueFieldsChanged', data: { fields: { assignee: 'bob' }, actor: 'alice' } },
    ]);
    given(issue).when(patch({ title: 'Fix the login' })).then([]);
  });

  it('null removes a field, unless it is required', () => {
    const { state } = given(issue).when(patch({ points: null })).then([{ data: { fields: { points: null } } }]);
    expect(state.fields).toEqual({ title: 'Fix the login' });
    given(issue).when(patch({ title: null })).then({ error: 'validation_failed', details: { violations: [{ path: 'title' }] } });
  });

  it('unknown fields are rejected', () => {
    given(issue).when(patch({ colour: 'red', title: 'ok' })).then({
      error: 'validation_failed',
      details: { violations: [{ path: 'colour', message: "unknown field 'colour'" }] },
    });
  });

  it('values are checked against the schema', () => {
    given(issue).when(patch({ points: -1 })).then({ error: 'validation_failed', details: { violations: [{ path: 'points', message: 'must be >= 0' }] } });
  });

  it('a stale expectedVersion is a version_conflict with expected and actual', () => {
    const patched = [...issue, ...given(issue).when(patch({ points: 5 })).accepted().events];
    given(patched).when(patch({ points: 8 }, { expectedVersion: 0 })).then({ error: 'version_conflict', details: { expected: 0, actual: 1 } });
    given(patched).when(patch({ points: 8 }, { expectedVersion: 1 })).then([{ type: 'IssueFieldsChanged' }]);
  });
});
