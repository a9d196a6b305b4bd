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

const DEFINITIONS = join(__dirname, '..', '..', 'definitions', 'lifecycles');

export function builtInLifecycles(): CompiledLifecycle[] {
  return ['project', 'sprint', 'issue'].map((name) => {
    const compiled = compileLifecycle(readFileSync(join(DEFINITIONS, `${name}.yaml`), 'utf8'), { version: 1 });
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

/** Sends entity commands as actors at given times, through the pipeline. */
export class EntityScript {
  readonly decider: EntityDecider;
  commands = 0;

  constructor(
    private readonly pipeline: CommandPipeline,
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

  createProject(id: string, key: string, at: string, actor: Actor = ACTORS.alice) {
    return this.send(`project-${id}`, { type: 'CreateEntity', entityId: id, lifecycle: 'project', fields: { key, name: `Project ${key}` } }, actor, at);
  }

  createSprint(id: string, projectId: string, name: string, at: string, actor: Actor = ACTORS.alice) {
    return this.send(`sprint-${id}`, { type: 'CreateEntity', entityId: id, lifecycle: 'sprint', projectId, fields: { name } }, actor, at);
  }

  createIssue(id: string, projectId: string, fields: Record<string, unknown>, at: string, actor: Actor) {
    return this.send(`issue-${id}`, { type: 'CreateEntity', entityId: id, lifecycle: 'issue', projectId, fields }, actor, at);
  }

  /** Both halves of POST /sprints/{id}/scope, as the sprint-scope process manager completes it. */
  async schedule(sprintId: string, issueId: string, at: string, actor: Actor) {
    await this.send(`sprint-${sprintId}`, { type: 'AddIssueToSprint', issueId }, actor, at);
    await this.send(`issue-${issueId}`, { type: 'ScheduleIssue', sprintId }, actor, at);
  }

  async unschedule(sprintId: string, issueId: string, at: string, actor: Actor) {
    await this.send(`sprint-${sprintId}`, { type: 'RemoveIssueFromSprint', issueId }, actor, at);
    await this.send(`issue-${issueId}`, { type: 'UnscheduleIssue', sprintId }, actor, at);
  }

  transition(stream: string, transition: string, at: string, actor: Actor, extra: { reason?: string; data?: Record<string, unknown> } = {}) {
    return this.send(stream, { type: 'TransitionEntity', transition, ...extra }, actor, at);
  }

  approve(stream: string, transition: string, at: string, actor: Actor) {
    return this.send(stream, { type: 'DecideApproval', transition, decision: 'approve' }, actor, at);
  }

  change(stream: string, fields: Record<string, unknown>, at: string, actor: Actor) {
    return this.send(stream, { type: 'ChangeFields', fields }, actor, at);
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

export async function scriptSprint(script: EntityScript, options: { prefix?: string; issues?: number; seed?: number } = {}): Promise<ScriptedSprint> {
  const prefix = options.prefix ?? 'p1';
  const count = options.issues ?? 30;
  const rand = random(options.seed ?? 7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)];
  const projectId = `${prefix}`;
  const sprintId = `${prefix}-s1`;
  let minute = 0;
  const at = (day: number) => sprintTime(day, minute++);

  await script.createProject(projectId, `P${prefix.replace(/\W/g, '').toUpperCase().slice(0, 8)}`, at(0));
  await script.createSprint(sprintId, projectId, 'Sprint 1', at(0));
  const issueIds = Array.from({ length: count }, (_, i) => `${prefix}-i${i + 1}`);
  for (const [i, id] of issueIds.entries()) {
    // Every fifth issue comes without an estimate or an assignee: someone adds them later.
    const fields = i % 5 === 4 ? { title: `Issue ${i + 1}` } : { title: `Issue ${i + 1}`, points: 1 + (i % 8), assignee: pick(DEVS).name };
    await script.createIssue(id, projectId, fields, at(0), pick(DEVS));
  }
  const planned = issueIds.slice(0, count - 4);
  for (const id of planned) await script.schedule(sprintId, id, at(0), ACTORS.alice);
  for (const [i, id] of issueIds.entries()) {
    if (i % 5 === 4) await script.change(`issue-${id}`, { points: 2 + (i % 3), assignee: pick(DEVS).name }, at(0), ACTORS.alice);
  }

  await script.transition(`sprint-${sprintId}`, 'start', at(1), ACTORS.bob);
  await script.approve(`sprint-${sprintId}`, 'start', at(1), ACTORS.alice);

  // Each issue advances a few steps a day; the steps are the issue lifecycle's happy path with
  // detours (changes requested, failed tests, blocked and unblocked).
  const step = new Map(planned.map((id) => [id, 0]));
  for (let day = 1; day <= 5; day++) {
    if (day === 2) {
      await script.schedule(sprintId, issueIds[count - 4], at(day), ACTORS.alice);
      step.set(issueIds[count - 4], 0);
      await script.unschedule(sprintId, planned[3], at(day), ACTORS.alice);
      step.delete(planned[3]);
    }
    if (day === 3) await script.change(`issue-${planned[0]}`, { points: 13 }, at(day), ACTORS.carol);
    if (day === 4) {
      await script.transition(`issue-${planned[1]}`, 'abandon', at(day), ACTORS.alice, { reason: 'no longer needed' });
      step.delete(planned[1]);
    }
    for (const [n, [id, done]] of [...step.entries()].entries()) {
      const moves = Math.floor(rand() * 3);
      let s = done;
      for (let m = 0; m < moves && s < 6; m++) s = await advance(script, id, s, n, day, at, pick);
      step.set(id, s);
    }
  }
  // Two issues end the sprint blocked, so the board shows blocked cards.
  const blockable = [...step.entries()].filter(([, s]) => s >= 1 && s <= 4).slice(0, 2);
  for (const [id] of blockable) await script.transition(`issue-${id}`, 'block', at(5), ACTORS.dave, { reason: 'infrastructure outage' });
  return { projectId, sprintId, issueIds, lastDay: sprintTime(5, 0).slice(0, 10) };
}

async function advance(
  script: EntityScript,
  id: string,
  s: number,
  n: number,
  day: number,
  at: (day: number) => string,
  pick: <T>(items: readonly T[]) => T,
): Promise<number> {
  const stream = `issue-${id}`;
  const dev = pick(DEVS);
  switch (s) {
    case 0:
      await script.transition(stream, 'ready', at(day), dev);
      return 1;
    case 1:
      await script.transition(stream, 'start', at(day), dev);
      return 2;
    case 2:
      if (n % 7 === 3 && day < 4) {
        await script.transition(stream, 'block', at(day), dev, { reason: 'waiting for the API team' });
        await script.transition(stream, 'unblock', at(day), dev);
      }
      await script.transition(stream, 'submit', at(day), dev, { data: PR(n) });
      return 3;
    case 3:
      if (n % 5 === 1 && day < 5) {
        await script.transition(stream, 'request_changes', at(day), ACTORS.erin, { reason: 'needs tests' });
        return 2;
      }
      await script.transition(stream, 'accept_review', at(day), dev);
      await script.approve(stream, 'accept_review', at(day), ACTORS.erin);
      return 4;
    case 4:
      await script.transition(stream, 'pass_tests', at(day), pick(DEVS));
      return 5;
    default:
      return s;
  }
}
