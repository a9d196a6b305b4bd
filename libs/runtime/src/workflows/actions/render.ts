/** core.render: a Handlebars template, registered (`input.template`) or inline (`input.source`), rendered with `input.data`. */
import type { TemplateRegistry } from '../registry/template-registry';
import { RenderFailure } from '../registry/template-registry';
import { ActionFailure, isMap, type InProcessAction } from './action';

export function renderAction(templates: TemplateRegistry): InProcessAction {
  return async (input) => {
    const spec = isMap(input) ? input : {};
    const template = typeof spec.template === 'string' ? spec.template : undefined;
    const source = typeof spec.source === 'string' ? spec.source : undefined;
    if (template === undefined && source === undefined) throw new ActionFailure('invalid_input', 'core.render needs input.template (a registered name) or input.source');
    try {
      return templates.render({ template, source }, spec.data ?? {});
    } catch (error) {
      if (error instanceof RenderFailure) throw new ActionFailure(error.code, error.message);
      throw new ActionFailure('render_error', `core.render: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
