/** Runs the server as `npm run start:dev` does: a real process, configured by its environment. */
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const MAIN = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/server/src/main.ts'];

export interface ServerProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnServer(env: Record<string, string>): ServerProcess {
  // Only what the test chooses: the developer's own TRELLIS_* or DATABASE_URL must not leak in.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(TRELLIS_|PORT$|HOST$|DATABASE_URL$|KURRENTDB_URL$|MONGODB_URL$)/.test(key)));
  const child = spawn(process.execPath, MAIN, { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits until stdout matches `pattern` (returning the match), or fails if the process exits first. */
export async function waitForOutput(server: ServerProcess, pattern: RegExp, timeoutMs = 90_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void server.exited.then(() => (exited = true));
  for (;;) {
    const match = server.stdout().match(pattern);
    if (match) return match;
    if (exited) throw new Error(`server exited before printing ${pattern}:\n${server.stdout()}\n${server.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${server.stdout()}\n${server.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
