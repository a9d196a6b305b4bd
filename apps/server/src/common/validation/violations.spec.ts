import { ValidationError } from 'class-validator';
import { flattenValidationErrors } from './violations';
import './is-role-grants';

const error = (property: string, constraints: Record<string, string> | undefined, children: ValidationError[] = [], value?: unknown): ValidationError =>
  Object.assign(new ValidationError(), { property, constraints, children, value });

describe('flattenValidationErrors', () => {
  it('gives one violation per constraint with the nested path', () => {
    const errors = [
      error('actor', { isString: 'actor must be a string' }),
      error('tasks', undefined, [error('0', undefined, [error('name', { isNotEmpty: 'name should not be empty' })])]),
      error('colour', { whitelistValidation: 'property colour should not exist' }),
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      { path: 'actor', message: 'must be a string' },
      { path: 'tasks.0.name', message: 'should not be empty' },
      { path: 'colour', message: 'is not a known field' },
    ]);
  });

  it('expands a structural validator into one violation per nested problem', () => {
    const errors = [error('roles', { isRoleGrants: 'summary' }, [], { p1: ['boss'], p2: 'admin' })];
    expect(flattenValidationErrors(errors)).toEqual([
      { path: 'roles.p1.0', message: expect.stringContaining('unknown role "boss"') },
      { path: 'roles.p2', message: 'must be a non-empty list of roles' },
    ]);
  });
});
