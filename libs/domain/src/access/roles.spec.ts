import { hasRole, roleGrantViolations } from './roles';

describe('hasRole', () => {
  it('counts grants on the project and on every project', () => {
    expect(hasRole({ p1: ['member'] }, 'p1', ['member'])).toBe(true);
    expect(hasRole({ '*': ['member'] }, 'p1', ['member'])).toBe(true);
    expect(hasRole({ p1: ['viewer'] }, 'p1', ['member', 'reviewer'])).toBe(false);
    expect(hasRole({ p2: ['member'] }, 'p1', ['member'])).toBe(false);
  });

  it('meets an engine-wide check only with grants on "*"', () => {
    expect(hasRole({ p1: ['admin'] }, '*', ['admin'])).toBe(false);
    expect(hasRole({ '*': ['admin'] }, '*', ['admin'])).toBe(true);
  });

  it('lets an admin act in every role of its scope', () => {
    expect(hasRole({ p1: ['admin'] }, 'p1', ['reviewer'])).toBe(true);
    expect(hasRole({ p1: ['admin'] }, 'p2', ['reviewer'])).toBe(false);
  });
});

describe('roleGrantViolations', () => {
  it('accepts known roles per project', () => {
    expect(roleGrantViolations({ '*': ['admin'], p1: ['member', 'reviewer'] })).toEqual([]);
  });

  it('rejects what is not a map of role lists', () => {
    expect(roleGrantViolations(['admin'])).toEqual([{ path: '', message: expect.any(String) }]);
    expect(roleGrantViolations({})).toEqual([{ path: '', message: 'must grant at least one role' }]);
    expect(roleGrantViolations({ p1: 'admin' })).toEqual([{ path: 'p1', message: 'must be a non-empty list of roles' }]);
  });
});
