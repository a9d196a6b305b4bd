/**
 * Creating an entity and patching its fields: both are checked against the lifecycle's `fields`
 * schema (LIFECYCLES.md: "the entity's own data (JSON Schema); PATCH changes them").
 */
import type { CompiledLifecycle } from '@trellis/lifecycle';
import { DomainError } from '../errors';
import type { ChangeFields, CreateEntity } from './commands';
import { defined, emitter } from './emit';
import type { EntityEvent } from './events';
import { enteredEvents } from './entering';
import { validationFailed } from './rejections';
import { evolve, type EntityState } from './state';

export function decideCreate(command: CreateEntity, state: EntityState, lifecycle: CompiledLifecycle): EntityEvent[] | DomainError {
  if (state.exists) {
    return new DomainError('version_conflict', `${lifecycle.name} ${state.id} already exists`, { expected: -1, actual: state.version });
  }
  const violations = lifecycle.fields.validate(command.fields);
  if (violations.length > 0) return validationFailed(`invalid ${lifecycle.name} fields`, violations);
  const emit = emitter(lifecycle, command);
  const created = emit('Created', defined({
    id: command.entityId,
    lifecycle: lifecycle.name,
    lifecycleVersion: lifecycle.version,
    projectId: command.projectId,
    state: lifecycle.initial,
    fields: command.fields,
    actor: command.actor,
  }));
  // Creation enters the initial state, so its on_enter hooks fire like any other entry.
  return [created, ...enteredEvents(lifecycle, evolve(state, created), undefined, emit)];
}

export function decideChangeFields(command: ChangeFields, state: EntityState, lifecycle: CompiledLifecycle): EntityEvent[] | DomainError {
  const unknown = Object.keys(command.fields).filter((name) => !lifecycle.fields.properties.includes(name));
  if (unknown.length > 0) {
    return validationFailed(`unknown ${lifecycle.name} fields`, unknown.map((name) => ({ path: name, message: `unknown field '${name}'` })));
  }
  const changes = Object.fromEntries(
    Object.entries(command.fields).filter(([name, value]) => !sameValue(state.fields[name] ?? null, value)),
  );
  if (Object.keys(changes).length === 0) return [];
  const merged = { ...state.fields };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  const violations = lifecycle.fields.validate(merged);
  if (violations.length > 0) return validationFailed(`invalid ${lifecycle.name} fields`, violations);
  return [emitter(lifecycle, command)('FieldsChanged', { fields: changes, actor: command.actor })];
}

// Field values are JSON, so their canonical text is a fair equality (key order aside).
const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
