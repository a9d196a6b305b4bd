import { registerDecorator, ValidationOptions } from 'class-validator';
import { roleGrantViolations } from '@trellis/domain/access';
import { registerViolationExpander } from './violations';

const CONSTRAINT = 'isRoleGrants';

// Each bad project id or role gets its own violation with its own path (`roles.p1.0`).
registerViolationExpander(CONSTRAINT, roleGrantViolations);

/** A map of project id (or '*') to a non-empty list of known roles. */
export function IsRoleGrants(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: CONSTRAINT,
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => roleGrantViolations(value).length === 0,
        defaultMessage: () => 'must map project ids or "*" to lists of known roles',
      },
    });
}
