import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { init, parse } from 'es-module-lexer';

/**
 * tsc keeps import specifiers as written, and ours are written for a bundler (`'../db/sql'`,
 * `'../../activities'`), which Node's ESM loader refuses: it adds no extension and looks for no
 * directory index. This gives each relative specifier in the emitted files under `dir` the file it
 * names (`'../db/sql.js'`, `'../../activities/index.js'`), found by a real lexer (es-module-lexer,
 * the one webpack and Vite use), never by a pattern that could match inside a string. A relative
 * specifier that names no emitted file fails the build, naming the file and the specifier.
 * Returns how many specifiers it rewrote.
 */
export async function addNodeSpecifiers(dir: string): Promise<number> {
  await init;
  let rewritten = 0;
  for (const file of await javaScriptFiles(dir)) {
    const source = await readFile(file, 'utf8');
    const [imports] = parse(source, file);
    let output = source;
    // From the last to the first, so the earlier positions still hold after each splice.
    for (const entry of [...imports].reverse()) {
      const specifier = entry.n;
      if (specifier === undefined || !/^\.\.?(\/|$)/.test(specifier)) continue;
      const resolved = await nodeSpecifier(file, specifier);
      if (resolved === undefined)
        throw new Error(`${path.relative(dir, file)} imports '${specifier}', which names no file in the build`);
      if (resolved === specifier) continue;
      // A static import's span is the specifier's text; a dynamic one's includes its quotes.
      const span = output.slice(entry.s, entry.e);
      output = output.slice(0, entry.s) + span.replace(specifier, resolved) + output.slice(entry.e);
      rewritten += 1;
    }
    if (output !== source) await writeFile(file, output);
  }
  return rewritten;
}

/** What Node needs for `specifier` written in `file`: the file itself, `.js` added, or the folder's index.js. */
async function nodeSpecifier(file: string, specifier: string): Promise<string | undefined> {
  const target = path.resolve(path.dirname(file), specifier);
  if (await isFile(target)) return specifier;
  if (await isFile(`${target}.js`)) return `${specifier}.js`;
  if (await isFile(path.join(target, 'index.js'))) return `${specifier.replace(/\/$/, '')}/index.js`;
  return undefined;
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}

async function javaScriptFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}
