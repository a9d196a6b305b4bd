/**
 * The bootstrap admin token. Taken from TRELLIS_ADMIN_TOKEN when set; otherwise generated once and
 * kept in `<dataDir>/admin-token` (readable by the owner only), so a restart keeps the same token.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AdminToken {
  value: string;
  /** env: TRELLIS_ADMIN_TOKEN; file: read from an earlier start; generated: written just now. */
  source: 'env' | 'file' | 'generated';
  file?: string;
}

export const ADMIN_TOKEN_FILE = 'admin-token';
export const MIN_TOKEN_LENGTH = 16;

const TOKEN_BYTES = 32;
const POOL_BYTES = 128 * TOKEN_BYTES;
let pool = Buffer.alloc(0);
let used = POOL_BYTES;

/**
 * 32 bytes from the OS's cryptographic generator, drawn from a buffer refilled every 128 tokens
 * (as Node does for randomUUID): one `randomBytes(32)` call per token took ~3.5% of the server's
 * thread under the token load. Each byte is handed out once and zeroed in the pool after use.
 */
function tokenBytes(): string {
  if (used + TOKEN_BYTES > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  const bytes = pool.subarray(used, used + TOKEN_BYTES);
  used += TOKEN_BYTES;
  const text = bytes.toString('base64url');
  bytes.fill(0);
  return text;
}

/** Tokens this server hands out: a prefix that makes them recognisable in a leak scan. */
export const newToken = (): string => `trl_${tokenBytes()}`;

export function resolveAdminToken(fromEnv: string | undefined, dataDir: string): AdminToken {
  if (fromEnv !== undefined) {
    if (fromEnv.length < MIN_TOKEN_LENGTH || /\s/.test(fromEnv)) {
      throw new Error(`TRELLIS_ADMIN_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters without spaces (or unset, to have one generated)`);
    }
    return { value: fromEnv, source: 'env' };
  }
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length < MIN_TOKEN_LENGTH) throw new Error(`${file} does not hold a valid admin token; delete it to have a new one generated`);
    return { value: stored, source: 'file', file };
  }
  try {
    mkdirSync(dataDir, { recursive: true });
    const value = newToken();
    // 'wx' fails if another process created the file meanwhile, instead of overwriting its token.
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return { value, source: 'generated', file };
  } catch (error) {
    throw new Error(`cannot store a generated admin token in ${file}: ${(error as Error).message}`);
  }
}

/** `abcd…wxyz`: enough to tell tokens apart, not enough to use one. */
export const maskToken = (token: string): string => (token.length <= 12 ? '****' : `${token.slice(0, 4)}…${token.slice(-4)}`);
