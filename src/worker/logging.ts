import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../log/logger';

const LEVELS: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
};

/** Routes the Temporal SDK's own log lines (worker state, bundling) into our structured logger. */
export function installTemporalLogging(logger: Logger): void {
  const level = LEVELS[logger.level];
  try {
    const coreLevel = level === 'TRACE' || level === 'DEBUG' || level === 'INFO' ? 'INFO' : (level ?? 'ERROR');
    Runtime.install({
      // The SDK core's own lines (Rust) go through the same logger, at the same threshold.
      telemetryOptions: { logging: { filter: { core: coreLevel, other: 'ERROR' }, forward: {} } },
      logger: new DefaultLogger(level ?? 'ERROR', ({ level: entryLevel, message, meta }) => {
        if (!level) return;
        const method =
          entryLevel === 'TRACE'
            ? 'trace'
            : entryLevel === 'DEBUG'
              ? 'debug'
              : entryLevel === 'WARN'
                ? 'warn'
                : entryLevel === 'ERROR'
                  ? 'error'
                  : 'info';
        logger[method]({ temporal: meta }, message);
      }),
    });
  } catch {
    // Already installed in this process (several workers or a test that made its own).
  }
}
