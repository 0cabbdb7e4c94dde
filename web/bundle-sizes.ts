import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BuiltWebApp } from './web-app-build';

interface FileSize {
  url: string;
  bytes: number;
  gzipped: number;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Modules a script imports statically (`import ... from "./chunk-X.js"`), as URL paths. */
function staticImports(source: string, url: string): string[] {
  const found = [...source.matchAll(/(?:^|[;}\s])import\s*(?:[\w${}\s,*]+from\s*)?["']([^"']+)["']/g)];
  return found.map((match) => new URL(match[1]!, `http://x${url}`).pathname);
}

/**
 * A table of every file the build wrote, and the total the first page load costs: the entry module,
 * the chunks it imports statically and the style sheet, gzipped as a server would send them.
 */
export async function reportBundleSizes(built: BuiltWebApp): Promise<string> {
  const sources = new Map<string, Buffer>();
  const sizeOf = async (url: string): Promise<FileSize> => {
    const content = await readFile(path.join(built.outDir, ...url.split('/').filter(Boolean)));
    sources.set(url, content);
    return { url, bytes: content.length, gzipped: gzipSync(content, { level: 9 }).length };
  };
  const files = await Promise.all([...built.scripts, ...built.styles].map(sizeOf));

  const firstLoad = new Set<string>();
  const visit = (url: string) => {
    if (firstLoad.has(url)) return;
    firstLoad.add(url);
    for (const imported of staticImports(sources.get(url)?.toString('utf8') ?? '', url)) visit(imported);
  };
  visit(built.entryScript);
  const firstLoadJs = files.filter((file) => firstLoad.has(file.url)).reduce((sum, file) => sum + file.gzipped, 0);
  const css = files.filter((file) => file.url.endsWith('.css')).reduce((sum, file) => sum + file.gzipped, 0);

  const width = Math.max(...files.map((file) => file.url.length));
  const rows = files
    .sort((a, b) => b.bytes - a.bytes)
    .map(
      (file) =>
        `  ${file.url.padEnd(width)}  ${kb(file.bytes).padStart(9)}  ${kb(file.gzipped).padStart(9)} gz${firstLoad.has(file.url) ? '  (first load)' : ''}`,
    );
  return [
    `Built the web app into ${built.outDir}`,
    ...rows,
    `First load: ${kb(firstLoadJs)} JavaScript + ${kb(css)} CSS, gzipped (plus the current page's own chunk)`,
    '',
  ].join('\n');
}
