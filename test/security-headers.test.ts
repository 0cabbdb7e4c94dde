import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { signActionToken } from '../src/auth/action-tokens';
import { startApiServer, type ApiServer } from '../src/api/server';
import { launchChromium } from './support/browser';
import { createTestContext, type TestContext, type TestUser } from './support/context';

/** A Content-Security-Policy header as directive → sources. */
function parseCsp(header: string | null): Map<string, string[]> {
  const policy = new Map<string, string[]>();
  for (const directive of (header ?? '')
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean)) {
    const [name, ...sources] = directive.split(/\s+/);
    policy.set(name!, sources);
  }
  return policy;
}

describe('security headers on every answer; a docs page that works under its policy', () => {
  let ctx: TestContext;
  let server: ApiServer;
  let browser: Browser;
  let member: TestUser;

  before(async () => {
    ctx = await createTestContext();
    server = await startApiServer({
      ...ctx.deps,
      config: { ...ctx.deps.config, http: { ...ctx.deps.config.http, port: 0 } },
    });
    browser = await launchChromium(ctx.config);
    member = await ctx.createUser('member');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await ctx?.close();
  });

  function assertSecurityHeaders(response: Response, what: string): Map<string, string[]> {
    const csp = parseCsp(response.headers.get('content-security-policy'));
    assert.ok(csp.size > 0, `${what}: has a Content-Security-Policy`);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], `${what}: may not be framed`);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer', `${what}: no Referer`);
    assert.equal(response.headers.get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
    return csp;
  }

  it('JSON answers of /api, errors included, forbid loading, running and framing anything', async () => {
    const answers: Array<[string, Response]> = [
      ['200 /api/auth/me', await ctx.request('GET', '/api/auth/me', { token: member.token })],
      ['401 /api/bookings', await ctx.request('GET', '/api/bookings/')],
      ['400 /api/bookings', await ctx.request('POST', '/api/bookings/', { token: member.token, body: {} })],
      ['404 /api/nowhere', await ctx.request('GET', '/api/nowhere')],
      [
        '413 /api/auth/login',
        await ctx.request('POST', '/api/auth/login', { body: 'x'.repeat(ctx.config.http.maxBodyBytes + 1) }),
      ],
      ['200 /openapi.json', await ctx.request('GET', '/openapi.json')],
      ['200 /healthz', await ctx.request('GET', '/healthz')],
    ];
    for (const [what, response] of answers) {
      assert.equal(response.status, Number(what.slice(0, 3)), what);
      const csp = assertSecurityHeaders(response, what);
      assert.deepEqual(csp.get('default-src'), ["'none'"], `${what}: default-src 'none'`);
    }
  });

  it('the email-link pages keep their own, stricter policy: no script at all', async () => {
    const token = await signActionToken(
      ctx.deps.keys.action,
      { action: 'confirm', targetId: 999_999, userId: member.id },
      new Date(Date.now() + 3_600_000),
    );
    for (const method of ['GET', 'POST']) {
      const response = await ctx.request(method, `/actions/${token}`);
      assert.equal(response.status, 404, `${method} /actions`);
      const csp = assertSecurityHeaders(response, `${method} /actions`);
      assert.deepEqual(csp.get('default-src'), ["'none'"]);
      assert.deepEqual(csp.get('style-src'), ["'unsafe-inline'"]);
      assert.deepEqual(csp.get('form-action'), ["'self'"]);
      assert.equal(csp.get('script-src'), undefined, 'no script source: default-src none applies');
      assert.equal(response.headers.get('cache-control'), 'no-store');
    }
  });

  it('/docs allows scripts only from this server, and its one inline script by its hash', async () => {
    const response = await ctx.request('GET', '/docs');
    assert.equal(response.status, 200);
    const csp = assertSecurityHeaders(response, '/docs');
    const scriptSources = csp.get('script-src') ?? [];
    assert.ok(
      !scriptSources.includes("'unsafe-inline'") && !scriptSources.includes("'unsafe-eval'"),
      `no unsafe script sources: ${scriptSources.join(' ')}`,
    );
    assert.ok(
      scriptSources.every((source) => source === "'self'" || /^'sha256-[A-Za-z0-9+/]+=*'$/.test(source)),
      `only 'self' and hashes: ${scriptSources.join(' ')}`,
    );
    assert.deepEqual(csp.get('connect-src'), ["'self'"], 'the viewer talks only to this server');

    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.ok(scripts.length >= 2, 'the viewer and its start-up script');
    for (const [, attributes, body] of scripts) {
      const src = /\bsrc="([^"]*)"/.exec(attributes!)?.[1];
      if (src !== undefined) {
        assert.ok(src.startsWith('/') && !src.startsWith('//'), `script ${src} comes from this server`);
        assert.equal((await ctx.request('GET', src)).status, 200, `${src} is served`);
      } else {
        const hash = `'sha256-${createHash('sha256').update(body!, 'utf8').digest('base64')}'`;
        assert.ok(scriptSources.includes(hash), `the inline script's hash ${hash} is in script-src`);
      }
    }
  });

  it("/docs renders the API reference in a real browser with nothing blocked but the viewer's eval probe, and contacts no other site", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const foreign: string[] = [];
      page.on('request', (request) => {
        const url = request.url();
        if (!url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
      });
      // Every violation the page reports, kept where the test reads it (page code, so a string: no DOM types here).
      await page.addInitScript(`
        window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', (event) => window.cspViolations.push({ directive: event.violatedDirective, blocked: event.blockedURI }));
      `);
      const opened = await page.goto(`${server.url}/docs`);
      assert.equal(opened?.status(), 200);
      // The viewer ran: it fetched /openapi.json and rendered the API's operations from it.
      await page.getByRole('heading', { name: 'BookIT API' }).first().waitFor();
      await page.getByText('PostgreSQL and Temporal both answer').first().waitFor();
      // Its "Test Request" client calls the API from the page (connect-src 'self').
      await page
        .getByRole('button', { name: /Test Request/ })
        .first()
        .click();
      const [tried] = await Promise.all([
        page.waitForResponse((response) => new URL(response.url()).pathname === '/healthz'),
        page.getByRole('button', { name: /^Send/ }).first().click(),
      ]);
      assert.equal(tried.status(), 200);
      const violations = (await page.evaluate('window.cspViolations')) as Array<{ directive: string; blocked: string }>;
      // The viewer probes `new Function("")` once inside a try/catch; the browser reports the refusal.
      const unexpected = violations.filter((v) => !(v.blocked === 'eval' && v.directive.startsWith('script-src')));
      assert.deepEqual(unexpected, [], 'no script, style, font, image or connection was blocked');
      assert.deepEqual(foreign, [], 'no request left this server');
    } finally {
      await context.close();
    }
  });
});
