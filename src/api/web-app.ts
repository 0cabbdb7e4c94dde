import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppEnv } from './context';

/** Where `web/build.ts` writes the app: index.html at the root, content-hashed files under assets/. */
export const WEB_APP_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/**
 * The app's pages may run scripts and styles from this server only: no inline script or style,
 * nothing from elsewhere. The page talks to this server alone (the API and its event stream).
 */
export const WEB_APP_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that are never the app's: a browser asking for one gets the API's JSON answer. */
const NOT_APP_PATHS = /^\/(api|actions|assets|docs|openapi\.json|healthz|readyz)(\/|$)/;

export interface WebApp {
  routes: Hono<AppEnv>;
  /** The app's page for a browser's GET of a path no other route answered, else undefined. */
  pageFor(c: Context): Response | undefined;
}

/**
 * The web app, served by the API process: its hashed assets (cached for good, gzip or brotli when
 * the build wrote them), and its one page for every app path (the app routes in the browser). The
 * page is read once; without a build the answer says how to make one.
 */
export function webApp(dir = WEB_APP_DIR): WebApp {
  const indexHtml = readIndexHtml(dir);
  const routes = new Hono<AppEnv>();
  routes.use(
    '/assets/*',
    serveStatic({
      root: dir,
      precompressed: true,
      onFound: (_path, c) => {
        c.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
    }),
  );

  const pageFor = (c: Context): Response | undefined => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return undefined;
    if (NOT_APP_PATHS.test(c.req.path) || !(c.req.header('accept') ?? '').includes('text/html')) return undefined;
    c.header('Content-Security-Policy', WEB_APP_CONTENT_SECURITY_POLICY);
    // Always asked again: a new build's page names new asset files.
    c.header('Cache-Control', 'no-cache');
    if (indexHtml === undefined) {
      return c.text('The web app has not been built: run `npm run build:web` (npm ci and npm start build it).', 503);
    }
    return c.html(indexHtml, 200);
  };
  return { routes, pageFor };
}

function readIndexHtml(dir: string): string | undefined {
  try {
    return readFileSync(path.join(dir, 'index.html'), 'utf8');
  } catch {
    return undefined;
  }
}
