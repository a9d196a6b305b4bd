import { deciderSpec } from '../testing/given-when-then';
import { lifecycleRegistrationDecider, type LifecycleRegistered, type RegisterLifecycle } from './lifecycle-registration';

const { given } = deciderSpec(lifecycleRegistrationDecider);

const TICKET = ['lifecycle: ticket', 'initial: Open', 'fields: {title: {type: string, required: true}}', 'states: {Open: {}, Closed: {final: true}}', 'transitions: {close: {from: Open, to: Closed}}', ''].join('\n');
const register = (source: string, name = 'ticket'): RegisterLifecycle => ({ type: 'RegisterLifecycle', name, source });
const registered = (version: number, source: string): LifecycleRegistered => ({ type: 'LifecycleRegistered', data: { name: 'ticket', version, source } });

describe('lifecycle registration', () => {
  it('registers the first version as 1 and each changed source as the next version', () => {
    given([]).when(register(TICKET)).then([registered(1, TICKET)]);
    const changed = `${TICKET}# v2\n`;
    given([registered(1, TICKET)]).when(register(changed)).then([registered(2, changed)]);
  });

  it('changes nothing when the latest version has the same source', () => {
    given([registered(1, TICKET)]).when(register(TICKET)).then([]);
  });

  it('rejects a definition that does not compile with every error, path and line', () => {
    const broken = TICKET.replace('to: Closed', 'to: Nowhere');
    given([]).when(register(broken)).then({
      error: 'invalid_definition',
      details: { errors: [{ path: 'transitions.close.to', line: 5, message: expect.stringContaining('Nowhere') }] },
    });
  });

  it('rejects a document that names another lifecycle than the one it is registered under', () => {
    given([]).when(register(TICKET, 'bug')).then({ error: 'validation_failed', details: { violations: [{ path: 'lifecycle', message: expect.any(String) }] } });
  });
});
