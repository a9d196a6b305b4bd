/** The sprint script (projections/testing/sprint-script.ts) spoken over REST, one token per actor. */
import type { Actor, SprintDriver } from '../../projections/testing/sprint-script';
import type { TestServer } from './server';
import { Client, clientAs, ok, settled } from './trellis';

export class RestSprintDriver implements SprintDriver {
  private readonly clients = new Map<string, Client>();
  requests = 0;

  constructor(private readonly server: TestServer) {}

  async createProject(key: string, _at: string, actor: Actor): Promise<string> {
    return ok(await (await this.as(actor)).post('/projects', { key, name: `Project ${key}` }), 201).id;
  }

  async createSprint(projectId: string, name: string, _at: string, actor: Actor): Promise<string> {
    return ok(await (await this.as(actor)).post(`/projects/${projectId}/sprints`, { name }), 201).id;
  }

  async createIssue(projectId: string, fields: Record<string, unknown>, _at: string, actor: Actor): Promise<string> {
    return ok(await (await this.as(actor)).post(`/projects/${projectId}/issues`, fields), 201).id;
  }

  async schedule(sprintId: string, issueId: string, _at: string, actor: Actor): Promise<void> {
    ok(await (await this.as(actor)).post(`/sprints/${sprintId}/scope`, { issueId }));
    // The issue's half comes from the sprint-scope process manager.
    await settled(this.server);
  }

  async unschedule(sprintId: string, issueId: string, _at: string, actor: Actor): Promise<void> {
    ok(await (await this.as(actor)).delete(`/sprints/${sprintId}/scope/${issueId}`));
    await settled(this.server);
  }

  async transition(kind: 'sprint' | 'issue', id: string, transition: string, _at: string, actor: Actor, extra = {}): Promise<void> {
    ok(await (await this.as(actor)).post(`/${kind}s/${id}/transitions`, { transition, ...extra }));
  }

  async approve(kind: 'sprint' | 'issue', id: string, transition: string, _at: string, actor: Actor): Promise<void> {
    ok(await (await this.as(actor)).post(`/${kind}s/${id}/approvals`, { transition, decision: 'approve' }));
  }

  async change(kind: 'sprint' | 'issue', id: string, fields: Record<string, unknown>, _at: string, actor: Actor): Promise<void> {
    ok(await (await this.as(actor)).patch(`/${kind}s/${id}`, fields));
  }

  async as(actor: Actor): Promise<Client> {
    this.requests += 1;
    let c = this.clients.get(actor.name);
    if (!c) this.clients.set(actor.name, (c = await clientAs(this.server, actor.name, { '*': actor.roles })));
    return c;
  }
}
