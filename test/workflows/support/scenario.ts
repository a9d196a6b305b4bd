/**
 * A scenario is data: workflows (YAML; the last one is started), parameters, scripted results per
 * task (one per attempt, as POST /workflows/simulate takes them), controls, and what must come
 * out. Each runs through both drivers — for real over REST with a scripted worker, and through
 * POST /workflows/simulate — and both answers are checked against the expectation and against
 * each other (order, status, output).
 */
import type { Control } from '@trellis/runtime';
import type { SimulatedRun } from '@trellis/workflow';
import type { Client } from '../../support/trellis';
import type { TestServer } from '../../support/server';

export interface Outcome {
  status: string;
  /** Task names in the order their runs were first scheduled (one per run, i.e. per item). */
  order: string[];
  runs: SimulatedRun[];
  vars: Record<string, unknown>;
  output: unknown;
  error?: { code: string; message: string; task?: string };
  maxInFlight: Record<string, number>;
  transitions: Array<{ task: string; evaluations: Array<{ transition: string; outcome: string; message?: string }> }>;
}

export interface RealContext {
  server: TestServer;
  admin: Client;
  executionId: string;
  /** The whole execution view (GET /executions/{id}) after the run. */
  view: any;
  events: Array<{ type: string; data: any; revision: number }>;
}

export interface InquiryContext {
  server: TestServer;
  admin: Client;
  executionId: string;
  inquiry: { task: string; runId: string; roles: string[] };
  /** The scripted answer. */
  answer: unknown;
}

export interface Scenario {
  name: string;
  workflows: string[];
  parameters?: Record<string, unknown>;
  results?: Record<string, unknown[]>;
  /** What the scripted worker answers in the real run, when it differs (a step the test plays itself). */
  realResults?: Record<string, unknown[]>;
  controls?: Control[];
  expect: {
    status: string;
    order?: string[];
    /** Pairs [a, b]: a's first run was scheduled before b's. */
    before?: Array<[string, string]>;
    /** The runs of each task, in any order relative to other tasks. */
    counts?: Record<string, number>;
    vars?: Record<string, unknown>;
    output?: unknown;
    error?: Record<string, unknown>;
    maxInFlight?: Record<string, number>;
  };
  /** Compare the real and simulated order exactly (false when branches race by design). */
  sameOrder?: boolean;
  /** Worker lease for the real run. */
  leaseMs?: number;
  /** Real run only: before the workflows are registered (e.g. templates they use). */
  setup?(admin: Client): Promise<void>;
  /** Real run only: after the execution started, before the scripted worker starts claiming. */
  beforeWorker?(context: { server: TestServer; admin: Client; executionId: string }): Promise<void>;
  /** Real run only: called before answering each inquiry; true when it answered it itself. */
  onInquiry?(context: InquiryContext): Promise<boolean | void>;
  /** Real run only: further checks once the execution has ended. */
  real?(context: RealContext): Promise<void>;
  /** Simulation only: further checks. */
  simulated?(outcome: Outcome): void;
}

export const refOf = (yaml: string): string => {
  const match = /^ref:\s*(\S+)/m.exec(yaml);
  if (!match) throw new Error(`no ref in scenario workflow:\n${yaml}`);
  return match[1];
};

export function checkOutcome(outcome: Outcome, expected: Scenario['expect'], driver: string): void {
  const label = `[${driver}]`;
  expect({ driver: label, status: outcome.status }).toEqual({ driver: label, status: expected.status });
  if (expected.order) expect({ driver: label, order: outcome.order }).toEqual({ driver: label, order: expected.order });
  for (const [a, b] of expected.before ?? []) {
    const first = outcome.order.indexOf(a);
    const second = outcome.order.indexOf(b);
    expect({ driver: label, before: [a, b], found: first >= 0 && second >= 0 && first < second }).toEqual({ driver: label, before: [a, b], found: true });
  }
  for (const [task, count] of Object.entries(expected.counts ?? {})) {
    expect({ driver: label, task, runs: outcome.order.filter((t) => t === task).length }).toEqual({ driver: label, task, runs: count });
  }
  if (expected.vars) expect({ driver: label, vars: outcome.vars }).toEqual({ driver: label, vars: expected.vars });
  if ('output' in expected) expect({ driver: label, output: outcome.output }).toEqual({ driver: label, output: expected.output });
  if (expected.error) expect({ driver: label, error: outcome.error }).toEqual({ driver: label, error: expect.objectContaining(expected.error) });
  if (expected.maxInFlight) {
    for (const [task, max] of Object.entries(expected.maxInFlight)) {
      expect({ driver: label, task, maxInFlight: outcome.maxInFlight[task] }).toEqual({ driver: label, task, maxInFlight: max });
    }
  }
}
