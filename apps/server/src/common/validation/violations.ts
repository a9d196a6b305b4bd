/**
 * class-validator reports a tree of errors; API.md wants a flat list of `{path, message}`, one per
 * violation. A few validators check a whole structure at once (a map keyed by project id, say)
 * and can name the exact nested path of each problem: they register an expander here.
 */
import type { ValidationError } from 'class-validator';
import type { Violation } from '@trellis/domain/access';

type Expander = (value: unknown) => Violation[];

const expanders = new Map<string, Expander>();

/** `expand(value)` returns violations with paths relative to the validated property. */
export function registerViolationExpander(constraint: string, expand: Expander): void {
  expanders.set(constraint, expand);
}

const join = (parent: string, child: string): string => (parent && child ? `${parent}.${child}` : parent || child);

export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): Violation[] {
  const violations: Violation[] = [];
  for (const error of errors) {
    // A value that is not an object at all (e.g. a JSON array as the body) has no property name.
    const path = join(parent, error.property ?? '') || 'body';
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      const expand = expanders.get(constraint);
      if (expand) violations.push(...expand(error.value).map((v) => ({ path: join(path, v.path), message: v.message })));
      else violations.push({ path, message: stripPropertyName(message, error.property) });
    }
    if (error.children?.length) violations.push(...flattenValidationErrors(error.children, path));
  }
  return violations;
}

// class-validator messages start with the property name ("actor must be a string"); the path
// already says which property, so the message reads "must be a string". Its whitelist message
// ("property x should not exist") is reworded for the same reason.
function stripPropertyName(message: string, property: string | undefined): string {
  if (property && message.startsWith(`property ${property} `)) return 'is not a known field';
  if (property && message.startsWith(`${property} `)) return message.slice(property.length + 1);
  return message;
}
