// `npm run build`: the production build, run from compiled JavaScript with no tsx and no devDependency.
//
//   npm run build                        into dist/
//   npm run build -- --out-dir=/tmp/x    elsewhere (test/production-build.test.ts)
//
// It writes, in the source's own layout so every path a module finds from its place still holds:
//   src/, workflows/, activities/   the server compiled by tsc (tsconfig.build.json; a type error fails
//                                   the build), each relative import given the file Node's loader needs
//   workflow-bundle.js              the workflows bundled once by the Temporal SDK, which the compiled
//                                   worker loads (src/worker/workflow-source.ts)
//   migrations/, templates/         read at run time (src/db/migrate.ts, src/mail/render.ts, action pages)
//   vendor/scalar-api-reference.js  the /docs viewer (src/api/docs.ts), so production needs no @scalar/api-reference
//   web/dist/                       the web app the API serves
//   package.json                    {"type": "module"}, so the tree runs as ES modules wherever it is put
// Then `node dist/src/main/api.js` and `node dist/src/main/worker.js` (npm run start:api, start:worker).
import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { bundleWorkflowCode } from '@temporalio/worker';
import { BUILT_SCALAR_BUNDLE } from '../src/api/docs';
import { WORKFLOWS_PATH } from '../src/worker/workflow-source';
import { buildWebApp } from '../web/build';
import { addNodeSpecifiers } from './build/node-specifiers';
import { say } from './dev/progress';

const ROOT = path.resolve(import.meta.dirname, '..');
const COMPILED_ROOTS = ['src', 'workflows', 'activities'];
const RUNTIME_FILES = ['migrations', 'templates'];

async function main(): Promise<void> {
  const started = Date.now();
  const outDir = path.resolve(ROOT, outDirArgument(process.argv.slice(2)) ?? 'dist');
  say(`build: compiling the server, bundling the workflows and the web app into ${path.relative(ROOT, outDir) || '.'}`);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  const [, bundle] = await Promise.all([
    compileServer(outDir),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger }),
    buildWebApp({ outDir: path.join(outDir, 'web', 'dist') }),
    ...RUNTIME_FILES.map((dir) => cp(path.join(ROOT, dir), path.join(outDir, dir), { recursive: true })),
    copyScalarViewer(outDir),
  ]);
  await writeFile(path.join(outDir, 'workflow-bundle.js'), bundle.code);
  await writeFile(path.join(outDir, 'package.json'), `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
  say(
    `build: done in ${((Date.now() - started) / 1000).toFixed(1)} s; run node ${path.relative(ROOT, path.join(outDir, 'src/main/api.js'))} and node ${path.relative(ROOT, path.join(outDir, 'src/main/worker.js'))}`,
  );
}

/** tsc with the build's config (so the build type-checks too), then the specifiers Node's loader needs. */
async function compileServer(outDir: string): Promise<void> {
  const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
  try {
    await promisify(execFile)(tsc, ['-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc -p tsconfig.build.json failed:\n${stdout}${stderr}`);
  }
  let rewritten = 0;
  for (const root of COMPILED_ROOTS) rewritten += await addNodeSpecifiers(path.join(outDir, root));
  say(`build: server compiled (${rewritten} relative imports given their .js file)`);
}

/** The /docs viewer, where the compiled src/api/docs.js looks first (BUILT_SCALAR_BUNDLE, relative to it). */
async function copyScalarViewer(outDir: string): Promise<void> {
  const target = path.join(outDir, path.relative(ROOT, BUILT_SCALAR_BUNDLE));
  await mkdir(path.dirname(target), { recursive: true });
  await copyFile(createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js'), target);
}

function outDirArgument(args: string[]): string | undefined {
  for (const [index, arg] of args.entries()) {
    if (arg.startsWith('--out-dir=')) return arg.slice('--out-dir='.length);
    if (arg === '--out-dir' && args[index + 1]) return args[index + 1];
    throw new Error(`npm run build takes only --out-dir=<dir> (got ${arg})`);
  }
  return undefined;
}

// webpack's progress and statistics lines say nothing a person acts on; errors still print.
const quietLogger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error: (message: string) => say(message),
  log() {},
};

main().catch((error: unknown) => {
  say(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
