import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { writeFileAtomic } from './atomic-write';
import { reportBundleSizes } from './bundle-sizes';
import { writeIndexHtml } from './index-html';
import { precompress } from './precompress';
import { pruneAssets } from './prune-assets';
import type { BuildWebAppOptions, BuiltWebApp } from './web-app-build';

export type { BuildWebAppOptions, BuiltWebApp } from './web-app-build';

const WEB_DIR = path.dirname(fileURLToPath(import.meta.url));
const ASSETS = 'assets';

/**
 * Bundles web/src into content-hashed files and writes the index.html that loads them. Pages are
 * split into chunks of their own (ESM splitting), so the first load carries only the shell.
 */
export async function buildWebApp(options: BuildWebAppOptions = {}): Promise<BuiltWebApp> {
  const outDir = path.resolve(options.outDir ?? path.join(WEB_DIR, 'dist'));
  const assetsDir = path.join(outDir, ASSETS);

  const result = await esbuild.build({
    absWorkingDir: WEB_DIR,
    entryPoints: { main: 'src/main.tsx', styles: 'src/styles.css', favicon: 'src/favicon.svg' },
    outdir: assetsDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: options.minify ?? true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.svg': 'copy' },
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    // Written here, each file whole (see writeFileAtomic): esbuild would truncate and rewrite in place.
    write: false,
  });
  await mkdir(assetsDir, { recursive: true });
  await Promise.all(result.outputFiles.map((file) => writeFileAtomic(file.path, file.contents)));

  const urlOf = (file: string) =>
    `/${ASSETS}/${path.relative(assetsDir, path.resolve(WEB_DIR, file)).split(path.sep).join('/')}`;
  const outputs = Object.entries(result.metafile.outputs);
  const outputFor = (entry: string) => {
    const found = outputs.find(([, meta]) => meta.entryPoint === entry);
    if (!found) throw new Error(`esbuild wrote no output for ${entry}`);
    return found;
  };
  const [entryFile] = outputFor('src/main.tsx');
  const [styleFile] = outputFor('src/styles.css');
  const [faviconFile] = outputFor('src/favicon.svg');
  const scripts = outputs.filter(([file]) => file.endsWith('.js')).map(([file]) => urlOf(file));
  const styles = outputs.filter(([file]) => file.endsWith('.css')).map(([file]) => urlOf(file));
  // Chunks the entry needs before it runs (imported statically, at any depth) are fetched in
  // parallel with it instead of one round trip after another.
  const needed = new Set<string>();
  const visit = (file: string) => {
    for (const imported of result.metafile.outputs[file]?.imports ?? []) {
      if (imported.kind !== 'import-statement' || needed.has(imported.path)) continue;
      needed.add(imported.path);
      visit(imported.path);
    }
  };
  visit(entryFile);
  const preloads = [...needed].map(urlOf);

  const written = outputs.map(([file]) => path.resolve(WEB_DIR, file));
  await precompress(written);
  await pruneAssets(assetsDir, new Set(written));
  const indexHtml = await writeIndexHtml(outDir, {
    entryScript: urlOf(entryFile),
    preloads,
    styles: [urlOf(styleFile)],
    favicon: urlOf(faviconFile),
  });
  return { outDir, indexHtml, entryScript: urlOf(entryFile), scripts, styles };
}

function isCommandLine(): boolean {
  const invoked = process.argv[1];
  return invoked !== undefined && path.resolve(invoked) === fileURLToPath(import.meta.url);
}

if (isCommandLine()) {
  const built = await buildWebApp({ outDir: process.argv[2] });
  process.stdout.write(await reportBundleSizes(built));
}
