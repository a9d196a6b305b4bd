import { Writable } from 'node:stream';
import pino from 'pino';
import { loggerOptions, PinoLoggerService } from './logger';

function capture(level: Parameters<typeof loggerOptions>[0] = 'trace') {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  return { logger: pino(loggerOptions(level), stream), lines };
}

describe('logger', () => {
  it('never writes an Authorization header or a token', () => {
    const { logger, lines } = capture();
    logger.info({ req: { headers: { authorization: 'Bearer trl_secret', host: 'x' } } }, 'request');
    logger.info({ headers: { authorization: 'Bearer trl_secret' }, token: 'trl_secret' }, 'other');
    expect(JSON.stringify(lines)).not.toContain('trl_secret');
    expect(lines[0]).toMatchObject({ req: { headers: { authorization: '[redacted]', host: 'x' } } });
  });

  it('writes nothing at level silent', () => {
    const { logger, lines } = capture('silent');
    new PinoLoggerService(logger).error('boom', 'stack', 'Context');
    logger.fatal('fatal');
    expect(lines).toEqual([]);
  });

  it("reads Nest's context and stack arguments", () => {
    const { logger, lines } = capture();
    const service = new PinoLoggerService(logger);
    service.log('started', 'NestApplication');
    service.error('failed', 'Error: failed\n    at x', 'ExceptionsHandler');
    service.warn({ msg: 'slow', ms: 12 }, 'Probe');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'started', context: 'NestApplication' }),
      expect.objectContaining({ level: 50, msg: 'failed', context: 'ExceptionsHandler', stack: 'Error: failed\n    at x' }),
      expect.objectContaining({ level: 40, msg: 'slow', ms: 12, context: 'Probe' }),
    ]);
  });
});
