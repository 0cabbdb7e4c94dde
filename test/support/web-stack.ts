import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApiServer, type ApiServer } from '../../src/api/server';
import { freePort } from '../../scripts/dev/free-port';
import { launchChromium } from './browser';
import { createTestContext, type TestContext } from './context';
import { withWorker } from './workers';

/**
 * Everything a person touches, for one test file: the API (serving the web app) on a real port that
 * the emails' links name, the worker and the outbox relay on the run's Temporal dev server, MailDev
 * and Chromium.
 */
export interface WebStack {
  ctx: TestContext;
  server: ApiServer;
  browser: Browser;
  /** The app's address, as the emails write it. */
  base: string;
  /** A fresh browser profile (its own cookies), at a viewport, in en-GB unless said; closed with the stack. */
  person(
    viewport: { width: number; height: number },
    options?: { locale?: string },
  ): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/** The whole stack on a free port; `env` adds to (or overrides) the configuration it starts with. */
export async function startWebStack(env: Record<string, string> = {}): Promise<WebStack> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const ctx = await createTestContext({ ...env, HOST: '127.0.0.1', PORT: String(port), PUBLIC_BASE_URL: base });
  await withWorker(ctx);
  const server = await startApiServer(ctx.deps);
  const browser = await launchChromium(ctx.config);
  const contexts: BrowserContext[] = [];
  return {
    ctx,
    server,
    browser,
    base,
    async person(viewport, options) {
      const context = await browser.newContext({
        viewport,
        baseURL: base,
        locale: options?.locale ?? 'en-GB',
        timezoneId: 'UTC',
      });
      contexts.push(context);
      return { context, page: await context.newPage() };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await server.close();
      await ctx.close();
    },
  };
}
