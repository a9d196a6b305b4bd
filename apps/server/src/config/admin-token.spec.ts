import { newToken } from './admin-token';

describe('newToken', () => {
  it('hands out 32 random bytes per token, never the same twice, across several refills of its pool', () => {
    const tokens = Array.from({ length: 1000 }, newToken);
    for (const token of tokens) expect(token).toMatch(/^trl_[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
    // No token is a run of zeros (a byte zeroed after use and handed out again would show as one).
    const bytes = tokens.map((token) => Buffer.from(token.slice(4), 'base64url'));
    expect(bytes.every((b) => b.length === 32 && b.some((x) => x !== 0))).toBe(true);
    // Roughly uniform bytes: every value of a byte appears in 32,000 random bytes.
    const seen = new Set(bytes.flatMap((b) => [...b]));
    expect(seen.size).toBe(256);
  });
});
