/** The two maintained CEL packages on the same expression: how the expression engine was chosen. */
import { throughput } from '../measure';
import type { Reporter } from '../report';

const EXPRESSION = "vars.attempts < 3 && entity.points > 2 && 'x' in entity.labels";
const CONTEXT = { vars: { attempts: 1 }, entity: { points: 5, labels: ['x', 'y'] } };

// Both packages are ES modules; a real dynamic import keeps tsc's CommonJS output from turning it into require().
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

export async function celCases(reporter: Reporter, evaluations: number) {
  const celJs = await importEsm('@marcbachmann/cel-js');
  const buf = await importEsm('@bufbuild/cel');
  const engines = {
    '@marcbachmann/cel-js': {
      compile: (source: string) => {
        const env = new celJs.Environment().registerVariable('vars', 'map').registerVariable('entity', 'map');
        const check = env.check(source);
        if (!check.valid) throw new Error('type check failed');
        return env.parse(source);
      },
    },
    '@bufbuild/cel': {
      compile: (source: string) => buf.plan(buf.celEnv({}), buf.parse(source)),
    },
  };
  for (const [name, engine] of Object.entries(engines)) {
    await reporter.run(`CEL ${name}: compile`, 2000, async () => {
      const startedAt = performance.now();
      for (let i = 0; i < 2000; i++) engine.compile(`${EXPRESSION} && ${i} >= 0`);
      return { group: 'cel', throughput: throughput(2000, startedAt) };
    });
    await reporter.run(`CEL ${name}: evaluate`, evaluations, async () => {
      const program = engine.compile(EXPRESSION);
      const startedAt = performance.now();
      let result: unknown;
      for (let i = 0; i < evaluations; i++) result = program(CONTEXT);
      if (result !== true) throw new Error(`${name} evaluated to ${String(result)}`);
      return { group: 'cel', throughput: throughput(evaluations, startedAt)};
    });
  }
}
