// The Temporal server and its SQL schema tool, and the Temporal Web UI server, built from their Go
// modules into the cache dir once (like the CLI in temporal-cli.ts): what `npm run cluster` and
// drill 6 run instead of the CLI's single-process dev server.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { goInstall } from './go-install';

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
// The Web UI server the Temporal CLI v1.5.1 embeds (its go.mod's github.com/temporalio/ui-server/v2).
export const TEMPORAL_UI_VERSION = 'v2.42.1';

export interface TemporalServerBinaries {
  server: string;
  sql: string;
}

/** `server` and `sql` (the schema tool) of go.temporal.io/server, built on first use (about 3–5 minutes on 2 cores). */
export async function resolveTemporalServer(cacheDir: string): Promise<TemporalServerBinaries> {
  const binDir = path.join(cacheDir, `temporal-server-${TEMPORAL_SERVER_VERSION}`);
  const binaries = { server: path.join(binDir, 'server'), sql: path.join(binDir, 'sql') };
  if (existsSync(binaries.server) && existsSync(binaries.sql)) return binaries;
  await goInstall({
    label: `Temporal server ${TEMPORAL_SERVER_VERSION}`,
    packages: [
      `go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`,
      `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
    ],
    binDir,
    expect: [binaries.server, binaries.sql],
  });
  return binaries;
}

/** The Web UI's own server (the UI's static files are embedded in it), built on first use. */
export async function resolveTemporalUi(cacheDir: string): Promise<string> {
  const binDir = path.join(cacheDir, `temporal-ui-server-${TEMPORAL_UI_VERSION}`);
  const binary = path.join(binDir, 'server');
  if (existsSync(binary)) return binary;
  await goInstall({
    label: `Temporal Web UI ${TEMPORAL_UI_VERSION}`,
    packages: [`github.com/temporalio/ui-server/v2/cmd/server@${TEMPORAL_UI_VERSION}`],
    binDir,
    expect: [binary],
  });
  return binary;
}
