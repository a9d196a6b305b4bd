import { ValidationPipe } from '@nestjs/common';
import { DomainError } from '@trellis/domain';
import { flattenValidationErrors } from './violations';

/**
 * Request bodies, params and queries are checked against their DTO classes. Unknown fields are
 * an error rather than silently dropped: a misspelt field must not look like it was accepted.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // One violation per property: a number given for a string is "must be a string", not also "too long".
    stopAtFirstError: true,
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => {
      const violations = flattenValidationErrors(errors);
      const summary = violations.map((v) => `${v.path} ${v.message}`).join('; ');
      return new DomainError('validation_failed', `invalid request: ${summary}`, { violations });
    },
  });
}
