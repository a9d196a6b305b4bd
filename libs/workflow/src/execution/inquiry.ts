/**
 * core.inquiry (WORKFLOWS.md, Built-in actions): the run waits for an answer that matches
 * `input.schema`, from a caller holding one of `input.roles`.
 */
import { DomainError } from '@trellis/domain';
import { compileSchema, schemaViolations } from '../definition/json-schema';
import type { AnswerInquiry } from './commands';
import type { Decision } from './decision';
import { liveRuns } from './state';

export function onInquiryAnswered(d: Decision, command: AnswerInquiry): DomainError | void {
  const waiting = liveRuns(d.state).filter(
    ({ key, run }) =>
      d.state.activations[key].task === command.task &&
      run.kind === 'inquiry' &&
      run.status === 'waiting' &&
      run.inquiry &&
      (command.runId === undefined || run.runId === command.runId),
  );
  const found = waiting[0];
  if (!found?.run.inquiry) {
    return new DomainError('not_found', `no inquiry of task "${command.task}" is waiting for an answer`, { task: command.task });
  }
  const { run } = found;
  const inquiry = found.run.inquiry;
  if (inquiry.roles.length > 0 && !inquiry.roles.some((role) => command.roles.includes(role))) {
    return new DomainError('forbidden', `answering the inquiry of task "${command.task}" needs one of the roles: ${inquiry.roles.join(', ')}`, {
      task: command.task,
      roles: inquiry.roles,
    });
  }
  if (inquiry.schema) {
    const compiled = compileSchema(inquiry.schema);
    const violations = compiled.ok ? schemaViolations(compiled.validate, structuredClone(command.answer)) : [];
    if (violations.length) {
      return new DomainError('validation_failed', `the answer does not match the inquiry's schema: ${violations.map((v) => `${v.path} ${v.message}`).join('; ')}`, {
        violations,
      });
    }
  }
  d.emit('InquiryAnswered', { runId: run.runId, task: command.task, attempt: run.attempt, answer: command.answer ?? null, actor: command.actor });
}
