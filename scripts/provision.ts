// `npm run provision`: builds or fetches everything `npm test` and `npm start` cache, and starts
// nothing: the system tools (Chromium, docker-compose, a JDK, Maven; installed from Debian's packages
// when missing and we are root), the Temporal CLI (built with Go into the cache dir) and the
// time-skipping test server (fetched with Maven); with `--cluster` the Temporal server and Web UI
// server too. For CI images and Dockerfiles, so a run starts warm.
import { loadConfig } from '../src/config/config';
import { say } from './dev/progress';
import { MissingSystemPackagesError, ensureSystemTools } from './dev/system-packages';
import { resolveTemporalCli } from './dev/temporal-cli';
import { resolveTemporalServer, resolveTemporalUi } from './dev/temporal-server-build';
import { resolveTestServer } from './dev/temporal-test-server';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const systemTools = await ensureSystemTools({ chromiumPath: config.chromiumPath });
  say(
    `provision: installed ${systemTools.installed.length ? systemTools.installed.join(', ') : 'no system packages (all present)'}`,
  );
  for (const [tool, found] of Object.entries(systemTools.paths)) say(`provision: ${tool} ${found}`);
  // One after the other: each is a long build or download, and two cores do them no faster at once.
  say(
    `provision: Temporal CLI ${await resolveTemporalCli({ explicitPath: config.temporal.cliPath, cacheDir: config.cacheDir })}`,
  );
  say(`provision: time-skipping test server ${await resolveTestServer(config.cacheDir)}`);
  // `--cluster`: also what `npm run cluster` and drill 6 run (the Temporal server, its SQL tool, the Web UI server).
  if (process.argv.includes('--cluster')) {
    const server = await resolveTemporalServer(config.cacheDir);
    say(`provision: Temporal server ${server.server} and SQL tool ${server.sql}`);
    say(`provision: Temporal Web UI server ${await resolveTemporalUi(config.cacheDir)}`);
  }
  say(`provision: done; cache dir ${config.cacheDir}`);
}

main().catch((error: unknown) => {
  const message =
    error instanceof MissingSystemPackagesError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
