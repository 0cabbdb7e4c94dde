import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono } from 'hono';
import { Scalar } from '@scalar/hono-api-reference';

/**
 * The docs page loads its viewer from this server, not a CDN, so it works on closed networks. It
 * talks to nobody else either: no web fonts from fonts.scalar.com, no telemetry, and no "Ask AI"
 * agent, which would send the API's description to Scalar's servers (the policy below forbids it).
 */
const SCALAR_PAGE = {
  url: '/openapi.json',
  pageTitle: 'BookIT API',
  cdn: '/docs/scalar.js',
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
};

/**
 * The page's policy: scripts only from this server, plus the page's own inline start-up script,
 * allowed by its hash (a script injected into the page would not match it). Styles may be inline:
 * the viewer writes its styles into the page as it renders.
 */
export function docsContentSecurityPolicy(inlineScriptHashes: string[]): string {
  return [
    "default-src 'self'",
    `script-src ${["'self'", ...inlineScriptHashes].join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** `'sha256-…'` of each inline `<script>` of a page, as a CSP source: what a browser hashes is the text between the tags. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map(
    (match) => `'sha256-${createHash('sha256').update(match[1]!, 'utf8').digest('base64')}'`,
  );
}

interface DocsPage {
  html: string;
  contentSecurityPolicy: string;
}

let docsPage: Promise<DocsPage> | undefined;
/** Scalar's page, rendered once: its configuration is fixed, so its inline script and hash are too. */
function renderDocsPage(): Promise<DocsPage> {
  docsPage ??= (async () => {
    const html = await (await new Hono().get('/', Scalar(SCALAR_PAGE)).request('/')).text();
    return { html, contentSecurityPolicy: docsContentSecurityPolicy(inlineScriptHashes(html)) };
  })();
  return docsPage;
}

/**
 * The viewer's browser bundle. `npm run build` copies it beside the compiled server (from
 * `dist/src/api/`, `dist/vendor/`), so production installs no @scalar/api-reference (a devDependency
 * that brings some 280 packages, for one self-contained file); run from source, it comes from node_modules.
 */
export const BUILT_SCALAR_BUNDLE = path.resolve(import.meta.dirname, '../../vendor/scalar-api-reference.js');

let scalarBundleText: Promise<string> | undefined;
function scalarBundle(): Promise<string> {
  scalarBundleText ??= readFile(
    existsSync(BUILT_SCALAR_BUNDLE)
      ? BUILT_SCALAR_BUNDLE
      : createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js'),
    'utf8',
  );
  return scalarBundleText;
}

/** `/docs`, the interactive API reference, and `/docs/scalar.js`, its viewer. */
export function docsRoutes(): Hono {
  const app = new Hono();
  app.get('/docs/scalar.js', async (c) => {
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(await scalarBundle(), 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  app.get('/docs', async (c) => {
    const page = await renderDocsPage();
    c.header('Content-Security-Policy', page.contentSecurityPolicy);
    return c.html(page.html);
  });
  return app;
}
