/**
 * A scripted sprint through the real write side (command pipeline + entity decider + built-in
 * lifecycles): a project, a sprint, issues created, estimated, assigned, scheduled, moved through
 * their lifecycle by several actors over several days (some blocked, reworked, re-estimated,
 * removed, abandoned). The sprint-scope process manager's half (ScheduleIssue on the issue) is sent
 * here directly, so the script does not depend on a process manager running.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entityDecider, lifecycleResolver, type EntityCommand, type EntityDecider } from '@trellis/domain';
import { compileLifecycle, type CompiledLifecycle, type Role } from '@trellis/lifecycle';
import type { CommandPipeline } from '@trellis/runtime';
import { definitionsDir } from './definitions';



export function builtInLifecycles(): CompiledLifecycle[] {
  return ['project', 'sprint', 'issue'].map((name) => {
    const compiled = compileLifecycle(readFileSync(join(definitionsDir('lifecycles'), `${name}.yaml`), 'utf8'), { version: 1 });
    if (!compiled.ok) throw new Error(`built-in lifecycle ${name} does not compile: ${JSON.stringify(compiled.problems)}`);
    return compiled.lifecycle;
  });
}

type Without<C> = C extends unknown ? Omit<C, 'actor' | 'roles' | 'occurredAt' | 'expectedVersion'> : never;
export type EntityCommandData = Without<EntityCommand>;

export interface Actor {
  name: string;
  roles: Role[];
}

export const ACTORS = {
  alice: { name: 'alice', roles: ['product-owner', 'member'] },
  bob: { name: 'bob', roles: ['member'] },
  carol: { name: 'carol', roles: ['member'] },
  dave: { name: 'dave', roles: ['member'] },
  erin: { name: 'erin', roles: ['reviewer', 'member'] },
} satisfies Record<string, Actor>;

/**
 * What a sprint script does to entities, whichever way it reaches the write side (the pipeline
 * here, REST in the e2e tests). `at` is the command's time where the driver can set it.
 */
export interface SprintDriver {
  createProject(key: string, at: string, actor: Actor): Promise<string>;
  createSprint(projectId: string, name: string, at: string, actor: Actor): Promise<string>;
  createIssue(projectId: string, fields: Record<string, unknown>, at: string, actor: Actor): Promise<string>;
  /** Both halves of POST /sprints/{id}/scope (the sprint's, and the issue's that the process manager sends). */
  schedule(sprintId: string, issueId: string, at: string, actor: Actor): Promise<void>;
  unschedule(sprintId: string, issueId: string, at: string, actor: Actor): Promise<void>;
  transition(kind: 'sprint' | 'issue', id: string, transition: string, at: string, actor: Actor, extra?: { reason?: string; data?: Record<string, unknown> }): Promise<void>;
  approve(kind: 'sprint' | 'issue', id: string, transition: string, at: string, actor: Actor): Promise<void>;
  change(kind: 'sprint' | 'issue', id: string, fields: Record<string, unknown>, at: string, actor: Actor): Promise<void>;
}

/** Sends entity commands as actors at given times, through the command pipeline. */
export class EntityScript implements SprintDriver {
  readonly decider: EntityDecider;
  commands = 0;
  private ids = 0;

  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly prefix = 'e',
    lifecycles: CompiledLifecycle[] = builtInLifecycles(),
  ) {
    this.decider = entityDecider(lifecycleResolver(lifecycles));
  }

  async send(streamId: string, command: EntityCommandData, actor: Actor, at: string): Promise<void> {
    this.commands += 1;
    await this.pipeline.handle(this.decider, streamId, {
      data: { ...command, actor: actor.name, roles: actor.roles, occurredAt: at } as EntityCommand,
      actor: actor.name,
      occurredAt: at,
    });
  }

  async createProject(key: string, at: string, actor: Actor): Promise<string> {
    const id = this.nextId();
    await this.send(`project-${id}`, { type: 'CreateEntity', entityId: id, lifecycle: 'project', fields: { key, name: `Project ${key}` } }, actor, at);
    return id;
  }

  async createSprint(projectId: string, name: string, at: string, actor: Actor): Promise<string> {
    const id = this.nextId();
    await this.send(`sprint-${id}`, { type: 'CreateEntity', entityId: id, lifecycle: 'sprint', projectId, fields: { name } }, actor, at);
    return id;
  }

  async createIssue(projectId: string, fields: Record<string, unknown>, at: string, actor: Actor): Promise<string> {
    const id = this.nextId();
    await this.send(`issue-${id}`, { type: 'CreateEntity', entityId: id, lifecycle: 'issue', projectId, fields }, actor, at);
    return id;
  }

  async schedule(sprintId: string, issueId: string, at: string, actor: Actor) {
    await this.send(`sprint-${sprintId}`, { type: 'AddIssueToSprint', issueId }, actor, at);
    await this.send(`issue-${issueId}`, { type: 'ScheduleIssue', sprintId }, actor, at);
  }

  async unschedule(sprintId: string, issueId: string, at: string, actor: Actor) {
    await this.send(`sprint-${sprintId}`, { type: 'RemoveIssueFromSprint', issueId }, actor, at);
    await this.send(`issue-${issueId}`, { type: 'UnscheduleIssue', sprintId }, actor, at);
  }

  transition(kind: 'sprint' | 'issue', id: string, transition: string, at: string, actor: Actor, extra: { reason?: string; data?: Record<string, unknown> } = {}) {
    return this.send(`${kind}-${id}`, { type: 'TransitionEntity', transition, ...extra }, actor, at);
  }

  approve(kind: 'sprint' | 'issue', id: string, transition: string, at: string, actor: Actor) {
    return this.send(`${kind}-${id}`, { type: 'DecideApproval', transition, decision: 'approve' }, actor, at);
  }

  change(kind: 'sprint' | 'issue', id: string, fields: Record<string, unknown>, at: string, actor: Actor) {
    return this.send(`${kind}-${id}`, { type: 'ChangeFields', fields }, actor, at);
  }

  private nextId(): string {
    return `${this.prefix}${++this.ids}`;
  }
}

export interface ScriptedSprint {
  projectId: string;
  sprintId: string;
  issueIds: string[];
  /** The day the script ended on (the "today" of the board it left). */
  lastDay: string;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing script can be replayed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEVS = [ACTORS.bob, ACTORS.carol, ACTORS.dave];
const PR = (n: number) => ({ pr_url: `https://git.example.com/trellis/pull/${n}` });

/** Time `minute` minutes into day `day` of the sprint (day 0 = 2026-03-02, a Monday). */
export const sprintTime = (day: number, minute: number) => new Date(Date.UTC(2026, 2, 2 + day, 9, 0) + minute * 60_000).toISOString();

export async function scriptSprint(driver: SprintDriver, options: { key?: string; issues?: number; seed?: number } = {}): Promise<ScriptedSprint> {
  const count = options.issues ?? 30;
  const rand = random(options.seed ?? 7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)];
  let minute = 0;
  const at = (day: number) => sprintTime(day, minute++);

  const projectId = await driver.createProject(options.key ?? 'TRL', at(0), ACTORS.alice);
  const sprintId = await driver.createSprint(projectId, 'Sprint 1', at(0), ACTORS.alice);
  const issueIds: string[] = [];
  for (let i = 0; i < count; i++) {
    // Every fifth issue comes without an estimate or an assignee: someone adds them later.
    const fields = i % 5 === 4 ? { title: `Issue ${i + 1}` } : { title: `Issue ${i + 1}`, points: 1 + (i % 8), assignee: pick(DEVS).name };
    issueIds.push(await driver.createIssue(projectId, fields, at(0), pick(DEVS)));
  }
  const planned = issueIds.slice(0, count - 4);
  for (const id of planned) await driver.schedule(sprintId, id, at(0), ACTORS.alice);
  for (const [i, id] of issueIds.entries()) {
    if (i % 5 === 4) await driver.change('issue', id, { points: 2 + (i % 3), assignee: pick(DEVS).name }, at(0), ACTORS.alice);
  }

  await driver.transition('sprint', sprintId, 'start', at(1), ACTORS.bob);
  await driver.approve('sprint', sprintId, 'start', at(1), ACTORS.alice);

  // Each issue advances a few steps a day; the steps are the issue lifecycle's happy path with
  // detours (changes requested, blocked and unblocked, abandoned, re-estimated, moved out).
  const step = new Map(planned.map((id) => [id, 0]));
  for (let day = 1; day <= 5; day++) {
    if (day === 2) {
      await driver.schedule(sprintId, issueIds[count - 4], at(day), ACTORS.alice);
      step.set(issueIds[count - 4], 0);
      await driver.unschedule(sprintId, planned[3], at(day), ACTORS.alice);
      step.delete(planned[3]);
    }
    if (day === 3) await driver.change('issue', planned[0], { points: 13 }, at(day), ACTORS.carol);
    if (day === 4) {
      await driver.transition('issue', planned[1], 'abandon', at(day), ACTORS.alice, { reason: 'no longer needed' });
      step.delete(planned[1]);
    }
    for (const [n, [id, done]] of [...step.entries()].entries()) {
      const moves = Math.floor(rand() * 3);
      let s = done;
      for (let m = 0; m < moves && s < 5; m++) s = await advance(driver, id, s, n, day, at, pick);
      step.set(id, s);
    }
  }
  // Two issues end the sprint blocked, so the board shows blocked cards.
  const blockable = [...step.entries()].filter(([, s]) => s >= 1 && s <= 4).slice(0, 2);
  for (const [id] of blockable) await driver.transition('issue', id, 'block', at(5), ACTORS.dave, { reason: 'infrastructure outage' });
  return { projectId, sprintId, issueIds, lastDay: sprintTime(5, 0).slice(0, 10) };
}

async function advance(
  driver: SprintDriver,
  id: string,
  s: number,
  n: number,
  day: number,
  at: (day: number) => string,
  pick: <T>(items: readonly T[]) => T,
): Promise<number> {
  const dev = pick(DEVS);
  switch (s) {
    case 0:
      await driver.transition('issue', id, 'ready', at(day), dev);
      return 1;
    case 1:
      await driver.transition('issue', id, 'start', at(day), dev);
      return 2;
    case 2:
      if (n % 7 === 3 && day < 4) {
        await driver.transition('issue', id, 'block', at(day), dev, { reason: 'waiting for the API team' });
        await driver.transition('issue', id, 'unblock', at(day), dev);
      }
      await driver.transition('issue', id, 'submit', at(day), dev, { data: PR(n) });
      return 3;
    case 3:
      if (n % 5 === 1 && day < 5) {
        await driver.transition('issue', id, 'request_changes', at(day), ACTORS.erin, { reason: 'needs tests' });
        return 2;
      }
      await driver.transition('issue', id, 'accept_review', at(day), dev);
      await driver.approve('issue', id, 'accept_review', at(day), ACTORS.erin);
      return 4;
    default:
      await driver.transition('issue', id, 'pass_tests', at(day), pick(DEVS));
      return 5;
  }
}
