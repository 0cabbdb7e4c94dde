// `npm run cluster`: BookIT in the shape of a small production on one machine. Embedded PostgreSQL
// (as `npm start` runs it, unless DATABASE_URL is set), a Temporal cluster of two server processes
// built from Temporal's Go module (unless TEMPORAL_ADDRESS is set), its Web UI, MailDev (unless
// SMTP_URL is set), two API processes behind one address and two workers. Ctrl-C stops all of it.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../src/config/config';
import { runMain, stopOnSignal } from '../src/process/lifecycle';
import { buildWebApp } from '../web/build';
import { say } from './dev/progress';
import { startProductionStack } from './dev/production-stack';
import { NUM_HISTORY_SHARDS } from './dev/temporal-cluster';

runMain(async () => {
  const started = Date.now();
  const config = loadConfig();
  await buildWebApp();
  const dataDir = path.join(config.dataDir, 'cluster');
  // Configs and logs are this run's; PostgreSQL's data (with Temporal's databases) is kept.
  const runDir = path.join(dataDir, 'run');
  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
  const stack = await startProductionStack({
    config,
    dataDir,
    runDir,
    ports: {
      http: config.http.port,
      temporal: 7233,
      temporalUi: config.temporal.uiPort,
      smtp: config.mail.devSmtpPort,
      mailWeb: config.mail.devWebPort,
    },
    apis: 2,
    workers: 2,
    temporalNodes: 2,
  });
  stopOnSignal([stack.stop], (signal) => say(`${signal}: stopping everything`));

  const rows: Array<[string, string]> = [
    ['Web app', `${stack.url}/`],
    ['API', `${stack.url}/api (round robin over ${stack.apis.map((api) => `${api.name} ${api.url}`).join(', ')})`],
    ['API docs', `${stack.url}/docs`],
    [
      'Temporal',
      stack.temporal
        ? `${stack.temporalAddress} (over ${stack.temporal.nodes.map((node) => `${node.name} ${node.frontendAddress}`).join(', ')}; ${NUM_HISTORY_SHARDS} history shards)`
        : stack.temporalAddress,
    ],
    ['Temporal Web UI', stack.temporal?.uiUrl ?? '(external Temporal: its own UI)'],
    ['Workers', stack.workers.map((worker) => `${worker.name} (pid ${worker.pid})`).join(', ')],
    ['Mail inbox', stack.mailWebUrl ?? '(external SMTP)'],
    ['PostgreSQL', redactPassword(stack.databaseUrl)],
    ['Logs', stack.logDir],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(
    `\nBookIT cluster is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s). Ctrl-C stops everything.\n\n`,
  );
  for (const [name, where] of rows) process.stdout.write(`  ${name.padEnd(width)}  ${where}\n`);
  process.stdout.write('\n');
});

function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
