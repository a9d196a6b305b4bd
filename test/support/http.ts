/**
 * A small HTTP client over node:http. Not fetch: a server may answer (413) before the request
 * body is fully sent and close the socket, and the test must still see that answer.
 */
import { request as httpRequest } from 'node:http';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface SendOptions {
  /** An object is sent as JSON; a string or Buffer is sent as is. */
  body?: unknown;
  contentType?: string;
  token?: string;
  headers?: Record<string, string>;
}

export function send(baseUrl: string, method: string, path: string, options: SendOptions = {}): Promise<HttpResponse> {
  const { body, token } = options;
  const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
  const headers: Record<string, string> = { ...options.headers };
  if (payload) {
    headers['content-type'] = options.contentType ?? 'application/json';
    headers['content-length'] = String(payload.length);
  }
  if (token !== undefined) headers.authorization = `Bearer ${token}`;

  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(new URL(path, baseUrl), { method, headers }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    // Writing the rest of a rejected body fails once the server has answered and hung up.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(payload);
  });
}
