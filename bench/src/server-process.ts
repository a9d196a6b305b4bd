/** Starts the built server as a child process on a free port, as `npm start` would. */
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface RunningServer {
  url: string;
  token: string;
  stop(): Promise<void>;
}

export async function startServer(entry: string, env: Record<string, string>, args: string[] = []): Promise<RunningServer> {
  const port = await freePort();
  const token = 'bench-admin-token-0123456789';
  const child: ChildProcess = spawn(process.execPath, [entry, ...args], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', TRELLIS_ADMIN_TOKEN: token, TRELLIS_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server ${entry} exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server ${entry} did not start within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    token,
    stop: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

export const distEntry = (...parts: string[]) => join(__dirname, '..', '..', ...parts);
