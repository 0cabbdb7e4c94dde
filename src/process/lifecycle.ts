import { ConfigError } from '../config/config';

type Stop = () => Promise<void>;

/** Stops everything in reverse start order on SIGINT/SIGTERM, then exits; a second signal forces exit. */
export function stopOnSignal(stops: Stop[], onStopping: (signal: string) => void): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    onStopping(signal);
    void (async () => {
      for (const stop of [...stops].reverse()) await stop().catch(() => {});
      process.exit(0);
    })();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** Runs an entry point; a configuration error prints its one line and exits 2, anything else exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
