/** The in-process actions by name: every built-in except the waits (sleep, inquiry) the decider keeps. */
import { runPureBuiltin } from '@trellis/workflow';
import type { TemplateRegistry } from '../registry/template-registry';
import { ActionFailure, type InProcessAction } from './action';
import { httpAction } from './http';
import { renderAction } from './render';
import { transitionAction, type EntityTransitioner } from './transition';

export * from './action';
export * from './transition';

const pure = (action: string): InProcessAction => async (input) => {
  const outcome = runPureBuiltin(action, input) ?? { result: null };
  if ('error' in outcome) throw new ActionFailure(outcome.error.code, outcome.error.message);
  return outcome.result;
};

export function builtInActions(templates: TemplateRegistry, transitioner?: EntityTransitioner): Map<string, InProcessAction> {
  return new Map<string, InProcessAction>([
    ['core.noop', pure('core.noop')],
    ['core.echo', pure('core.echo')],
    ['core.fail', pure('core.fail')],
    ['core.http', httpAction],
    ['core.render', renderAction(templates)],
    ['core.transition', transitionAction(transitioner)],
  ]);
}
