/**
 * One pino instance for the whole process: Nest's own messages go through PinoLoggerService and
 * Fastify's request logs through the same instance, so both share level, format and redaction.
 */
import type { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import type { LogLevel } from '../../config/config';

// Credentials must never reach a log line, whatever object a caller happens to log.
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  'authorization',
  'token',
  '*.token',
];

export function loggerOptions(level: LogLevel): pino.LoggerOptions {
  return {
    level,
    base: { service: 'trellis' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
  };
}

export function createLogger(level: LogLevel): Logger {
  return pino(loggerOptions(level), prettyStream(level) ?? pino.destination({ dest: 1, sync: false }));
}

/** Human-readable lines on a terminal, when pino-pretty (a dev dependency) is installed. */
function prettyStream(level: LogLevel): pino.DestinationStream | undefined {
  if (level === 'silent' || !process.stdout.isTTY || process.env.NODE_ENV === 'production') return undefined;
  try {
    // Loaded lazily: absent from production installs, where JSON lines are what collectors want.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (options: Record<string, unknown>) => pino.DestinationStream;
    return pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' });
  } catch {
    return undefined;
  }
}

type PinoLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Nest's LoggerService over pino. Nest passes the logger's context as the last string argument,
 * and for errors a stack trace before it.
 */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: PinoLevel, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const bindings: Record<string, unknown> = {};
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string') bindings.context = rest.pop();
    if (level === 'error' && typeof rest[0] === 'string') bindings.stack = rest.shift();
    if (rest.length > 0) bindings.params = rest;

    if (message instanceof Error) this.pino[level]({ ...bindings, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.pino[level]({ ...bindings, ...message });
    else this.pino[level](bindings, String(message));
  }
}
