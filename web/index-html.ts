import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write';

export interface IndexHtmlAssets {
  entryScript: string;
  preloads: string[];
  styles: string[];
  favicon: string;
}

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The one HTML page of the app. It holds no inline script or style: the page's CSP allows only
 * files from this origin. The noscript text is the whole page for a browser without JavaScript.
 */
export async function writeIndexHtml(outDir: string, assets: IndexHtmlAssets): Promise<string> {
  const link = (rel: string, href: string, extra = '') =>
    `    <link rel="${rel}" href="${escapeAttribute(href)}"${extra}>`;
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    '  <head>',
    '    <meta charset="utf-8">',
    '    <meta name="viewport" content="width=device-width, initial-scale=1">',
    '    <meta name="color-scheme" content="light">',
    '    <title>BookIT</title>',
    link('icon', assets.favicon, ' type="image/svg+xml"'),
    ...assets.styles.map((href) => link('stylesheet', href)),
    ...assets.preloads.map((href) => link('modulepreload', href)),
    `    <script type="module" src="${escapeAttribute(assets.entryScript)}"></script>`,
    '  </head>',
    '  <body>',
    '    <div id="app"><noscript><p>BookIT needs JavaScript to run in your browser.</p></noscript></div>',
    '  </body>',
    '</html>',
    '',
  ].join('\n');
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, 'index.html');
  await writeFileAtomic(file, html);
  return file;
}
