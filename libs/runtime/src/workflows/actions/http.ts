/**
 * core.http: `{method, url, headers, body, timeout}` → `{status, headers, body}`; a non-2xx answer
 * fails the attempt (`http_error`, with the status and body). The run's idempotency key goes along
 * as `Idempotency-Key`, so a server that honours it applies a retried request once.
 */
import { parseDuration } from '@trellis/workflow';
import { ActionFailure, isMap, requireText, type ActionContext } from './action';

const DEFAULT_TIMEOUT_MS = 30_000;

export async function httpAction(input: unknown, context: ActionContext): Promise<unknown> {
  const spec = isMap(input) ? input : {};
  const url = requireText(spec, 'url', 'core.http');
  const method = typeof spec.method === 'string' ? spec.method.toUpperCase() : 'GET';
  const headers: Record<string, string> = { 'idempotency-key': context.idempotencyKey };
  if (isMap(spec.headers)) for (const [k, v] of Object.entries(spec.headers)) headers[k.toLowerCase()] = String(v);
  let body: string | undefined;
  if (spec.body !== undefined && spec.body !== null) {
    if (typeof spec.body === 'string') body = spec.body;
    else {
      body = JSON.stringify(spec.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  const timeoutMs = parseDuration(spec.timeout) ?? DEFAULT_TIMEOUT_MS;
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body, signal: AbortSignal.any([context.signal, AbortSignal.timeout(timeoutMs)]) });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw new ActionFailure(timedOut ? 'http_timeout' : 'http_unreachable', `${method} ${url}: ${timedOut ? `no answer within ${timeoutMs} ms` : describe(error)}`);
  }
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  let parsed: unknown = text;
  if (contentType.includes('json') && text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  const result = { status: response.status, headers: Object.fromEntries(response.headers.entries()), body: parsed };
  if (!response.ok) throw new ActionFailure('http_error', `${method} ${url} answered ${response.status}`, { status: response.status, body: parsed });
  return result;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
