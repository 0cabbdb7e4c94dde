import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApiServer, type ApiServer } from '../src/api/server';
import { DESKTOP, launchChromium } from './support/browser';
import { createTestContext, type TestContext } from './support/context';
import { given } from './support';
import { signIn } from './support/web-person';

/** The most JavaScript, gzipped, the first page a person opens may load. */
const FIRST_LOAD_BUDGET_BYTES = 60 * 1024;

function parseCsp(header: string | null): Map<string, string[]> {
  return new Map(
    (header ?? '')
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...sources] = d.split(/\s+/);
        return [name!, sources] as const;
      }),
  );
}

describe('the web app is served at / by the API process, under a policy with no inline script', () => {
  let ctx: TestContext;
  let server: ApiServer;
  let browser: Browser;

  before(async () => {
    ctx = await createTestContext();
    server = await startApiServer({
      ...ctx.deps,
      config: { ...ctx.deps.config, http: { ...ctx.deps.config.http, port: 0 } },
    });
    browser = await launchChromium(ctx.config);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await ctx?.close();
  });

  const asBrowser = (path: string) =>
    fetch(`${server.url}${path}`, { headers: { accept: 'text/html,application/xhtml+xml' } });

  it("answers every app path a browser opens (a bookmark, an emailed link, a reload) with the app's page and a strict policy", async () => {
    const pages = await Promise.all(
      ['/', '/sign-in', '/bookings', '/bookings/123', '/series/5', '/waitlist/7', '/admin/users', '/no-such-page'].map(
        async (path) => [path, await asBrowser(path)] as const,
      ),
    );
    const bodies = new Set<string>();
    for (const [path, response] of pages) {
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/, path);
      assert.equal(
        response.headers.get('cache-control'),
        'no-cache',
        `${path}: asked again each time, so a new build shows`,
      );
      const csp = parseCsp(response.headers.get('content-security-policy'));
      assert.deepEqual(csp.get('script-src'), ["'self'"], `${path}: scripts only from this server, none inline`);
      assert.deepEqual(csp.get('style-src'), ["'self'"], `${path}: no inline style either`);
      assert.deepEqual(csp.get('default-src'), ["'none'"]);
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      bodies.add(await response.text());
    }
    assert.equal(bodies.size, 1, 'one page for every path; the app routes in the browser');
    const [html] = [...bodies];
    assert.doesNotMatch(html!, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline script');
    assert.doesNotMatch(html!, /\sstyle=|<style/i, 'no inline style');
    assert.match(html!, /<script type="module" src="\/assets\/[^"]+\.js">/);
  });

  it("keeps the API's answers JSON: an unknown API path, or a path asked for as JSON, is a 404 with an error", async () => {
    for (const [path, accept] of [
      ['/api/no-such-thing', 'text/html'],
      ['/actions', 'text/html'],
      ['/bookings', 'application/json'],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, { headers: { accept } });
      assert.equal(response.status, 404, path);
      assert.match(((await response.json()) as { error: string }).error, /No route/);
    }
    const posted = await fetch(`${server.url}/bookings`, { method: 'POST', headers: { accept: 'text/html' } });
    assert.equal(posted.status, 404, 'only GET and HEAD get the page');
  });

  it('serves the hashed assets for good, compressed when the browser accepts it', async () => {
    const html = await (await asBrowser('/')).text();
    const entry = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const plain = await fetch(`${server.url}${entry}`, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.status, 200);
    assert.match(plain.headers.get('content-type') ?? '', /javascript/);
    assert.equal(plain.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const body = await plain.text();
    const compressed = await fetch(`${server.url}${entry}`, { headers: { 'accept-encoding': 'br, gzip' } });
    assert.match(compressed.headers.get('content-encoding') ?? '', /^(br|gzip)$/, 'a precompressed copy is sent');
    assert.equal(await compressed.text(), body, 'with the same content');
    assert.equal((await fetch(`${server.url}/assets/no-such-file.js`)).status, 404);
  });

  /** Every script a first load of `path` runs, gzipped, with the console's errors; `before` runs first (a sign-in). */
  async function firstLoad(path: string, ready: (page: Page) => Promise<void>, before?: (page: Page) => Promise<void>) {
    const context = await browser.newContext({ viewport: DESKTOP });
    try {
      const page = await context.newPage();
      if (before) await before(page);
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      const scripts: Array<Promise<{ url: string; gzipped: number }>> = [];
      page.on('response', (response) => {
        if (response.request().resourceType() === 'script') {
          scripts.push(
            response.body().then((body) => ({ url: response.url(), gzipped: gzipSync(body, { level: 9 }).length })),
          );
        }
      });
      await page.goto(`${server.url}${path}`);
      await ready(page);
      await page.waitForLoadState('networkidle');
      const loaded = await Promise.all(scripts);
      return { page, loaded, total: loaded.reduce((sum, script) => sum + script.gzipped, 0), problems };
    } finally {
      // Closed after the tests: the caller may still read the page.
      contexts.push(context);
    }
  }
  const contexts: BrowserContext[] = [];
  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
  });

  it(`opens a member's booking grid, first thing after signing in, with under ${FIRST_LOAD_BUDGET_BYTES / 1024} KB of gzipped JavaScript and no console error`, async () => {
    const make = given(ctx);
    const venue = await make.venue({ name: `Budget Hall ${Math.random().toString(36).slice(2, 7)}` });
    const member = await make.member();
    const { loaded, total, problems } = await firstLoad(
      `/book?venue=${venue.id}`,
      async (page) => {
        await page
          .getByRole('grid')
          .getByRole('rowheader', { name: new RegExp(venue.name) })
          .first()
          .waitFor();
      },
      async (page) => {
        // Signed in on another page first, then the grid is loaded afresh: the shell, its chunk and the grid's.
        await signIn(page, member.email, member.password, `${server.url}/sign-in`);
        await page.goto('about:blank');
      },
    );
    assert.ok(
      total < FIRST_LOAD_BUDGET_BYTES,
      `the grid's first load: ${(total / 1024).toFixed(1)} KB gzipped JavaScript in ${loaded.length} files`,
    );
    assert.deepEqual(problems, [], 'no script error or failed request in the console');
  });

  it(`loads the sign-in page in Chromium with under ${FIRST_LOAD_BUDGET_BYTES / 1024} KB of gzipped JavaScript, no policy violation, no session probe and no console error`, async () => {
    // Signed out (no session hint cookie), the app asks nothing that must fail: no refresh probe.
    const probes: string[] = [];
    const { loaded, total, problems } = await firstLoad(
      '/sign-in',
      async (page) => {
        await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      },
      async (page) => {
        page.on('request', (request) => {
          if (new URL(request.url()).pathname.startsWith('/api/auth/refresh')) probes.push(request.url());
        });
      },
    );
    assert.ok(loaded.length > 0, 'the page ran its scripts');
    assert.ok(
      total < FIRST_LOAD_BUDGET_BYTES,
      `first load: ${(total / 1024).toFixed(1)} KB gzipped JavaScript in ${loaded.length} files`,
    );
    assert.deepEqual(problems, [], 'no CSP violation, failed request or script error in the console');
    assert.deepEqual(probes, [], 'no session probe on a signed-out first load');
  });
});
