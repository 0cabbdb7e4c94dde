import { pino, type Logger, type LoggerOptions } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { Config } from '../config/config';

export type { Logger };

/**
 * Structured logs; secrets are redacted by path wherever they might be passed by accident (before
 * either format is written). `auto` is pretty when stdout is a terminal, JSON lines otherwise.
 */
export function createLogger(level: string, name = 'bookit', format: Config['logFormat'] = 'json'): Logger {
  const options: LoggerOptions = {
    name,
    level,
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'authorization',
        '*.authorization',
        'req.headers.authorization',
      ],
      censor: '[redacted]',
    },
  };
  if (!writesPretty(format, process.stdout.isTTY === true)) return pino(options);
  // In this thread and synchronous (no transport worker), so the last lines before an exit or a
  // crash are on the screen, in order with the banner written beside them.
  return pino(
    options,
    PinoPretty({
      sync: true,
      colorize: process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
    }),
  );
}

/** A person reads a terminal; anything else (a pipe, a file, a log collector) wants one JSON object a line. */
export function writesPretty(format: Config['logFormat'], stdoutIsTerminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && stdoutIsTerminal);
}

/** `a***@example.com`: enough for an operator to correlate, not a full address at info level. */
export function maskEmail(address: string): string {
  const [local = '', domain = ''] = address.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}
