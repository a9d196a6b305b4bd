import { ExpressionEnvironment, expressionReferences, helperFunctions } from '.';

describe('expression environment', () => {
  const env = new ExpressionEnvironment({
    variables: { vars: 'map', parameters: 'map' },
    functions: [
      ...helperFunctions,
      { signature: 'result(): dyn', contextual: true, handler: (ctx: Record<string, any>) => ctx.__outcome.result },
    ],
  });
  const evaluate = (source: string, context: Record<string, unknown>) => {
    const compiled = env.compile(source);
    if (!compiled.ok) throw new Error(compiled.message);
    return compiled.evaluate(context);
  };

  it('does integer arithmetic on JSON numbers', () => {
    expect(evaluate('vars.attempts + 1', { vars: { attempts: 2 } })).toBe(3);
  });

  it('lets contextual functions read the evaluation context', () => {
    expect(evaluate('result().image + ":" + string(result().n + 1)', { __outcome: { result: { image: 'a', n: 1 } } })).toBe('a:2');
  });

  it('falls back with default() on a missing key', () => {
    expect(evaluate('default(parameters.missing, "x")', { parameters: {} })).toBe('x');
    expect(evaluate('default(parameters.here, "x")', { parameters: { here: 'y' } })).toBe('y');
  });

  it('provides the string and list helpers', () => {
    expect(evaluate('upper(trim(" a ")) + lower("B") + join(["x", "y"], ",") + json({"k": 1})', {})).toBe('Abx,y{"k":1}');
  });

  it('rejects unknown names at compile time', () => {
    expect(env.compile('nope + 1')).toMatchObject({ ok: false, message: 'Unknown variable: nope' });
    expect(env.compile('item()')).toMatchObject({ ok: false });
  });

  it('lists what an expression refers to', () => {
    expect(expressionReferences('tasks.build.result + secrets["k"] + upper(vars.x)')).toEqual({
      variables: ['tasks', 'secrets', 'vars'],
      fields: [
        { variable: 'tasks', field: 'build' },
        { variable: 'secrets', field: 'k' },
        { variable: 'vars', field: 'x' },
      ],
      functions: ['upper'],
    });
  });
});
