/**
 * The lifecycle/entity API as the e2e tests speak it: tokens per actor, entities by path, the
 * streams behind them, and waits for the process managers and the read models to catch up.
 */
import type { RecordedEvent } from '@trellis/eventstore';
import { ProjectionEngine } from '@trellis/runtime/projections';
import { ProcessManagersService } from '../../apps/server/src/process-managers/process-managers.service';
import type { HttpResponse } from './http';
import type { TestServer } from './server';

export const API = '/api/v1';

export type Grants = Record<string, string[]>;

export interface Client {
  token: string;
  get(path: string): Promise<HttpResponse>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResponse>;
  patch(path: string, body: unknown, headers?: Record<string, string>): Promise<HttpResponse>;
  put(path: string, body: string | object, contentType?: string): Promise<HttpResponse>;
  delete(path: string): Promise<HttpResponse>;
}

export function client(server: TestServer, token: string): Client {
  return {
    token,
    get: (path) => server.send('GET', `${API}${path}`, { token }),
    post: (path, body = {}, headers) => server.send('POST', `${API}${path}`, { token, body, headers }),
    patch: (path, body, headers) => server.send('PATCH', `${API}${path}`, { token, body, headers }),
    put: (path, body, contentType) => server.send('PUT', `${API}${path}`, { token, body, contentType }),
    delete: (path) => server.send('DELETE', `${API}${path}`, { token }),
  };
}

/** A client acting as `actor` with `roles` (a token issued by the admin). */
export async function clientAs(server: TestServer, actor: string, roles: Grants): Promise<Client> {
  const res = await client(server, server.adminToken).post('/admin/tokens', { actor, roles });
  if (res.status !== 201) throw new Error(`cannot issue a token for ${actor}: ${res.status} ${res.text}`);
  return client(server, res.json.token);
}

/** The body of a 2xx response; anything else fails the test with the error it got. */
export function ok(res: HttpResponse, status?: number): any {
  if (res.status < 200 || res.status >= 300 || (status !== undefined && res.status !== status)) {
    throw new Error(`expected ${status ?? '2xx'}, got ${res.status}: ${res.text}`);
  }
  return res.json;
}

export const readStream = (server: TestServer, streamId: string): Promise<RecordedEvent[]> => server.store.readStream(streamId);

export const settled = (server: TestServer): Promise<void> => server.app.get(ProcessManagersService).settled();

/** Every read model has applied the log as it stands now (they follow it a batch behind). */
export const readModelsCaughtUp = (server: TestServer): Promise<void> => server.app.get(ProjectionEngine).settled();

/** A project with one issue per entry of `issues`, created by `c`. */
export async function projectWithIssues(c: Client, issues: Array<Record<string, unknown>> = [], key = 'TRL'): Promise<{ project: any; issues: any[] }> {
  const project = ok(await c.post('/projects', { key, name: `Project ${key}` }), 201);
  const created = [];
  for (const fields of issues) created.push(ok(await c.post(`/projects/${project.id}/issues`, fields), 201));
  return { project, issues: created };
}
