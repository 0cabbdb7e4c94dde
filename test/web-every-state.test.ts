import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import {
  furnishTour,
  openIn,
  type Shot,
  signInAs,
  startReceiver,
  TOUR_ENV,
  TOUR_PASSWORD,
  tourContext,
} from '../scripts/dev/screen-tour';
import { assertAccessible, assertFitsWidth } from './support/browser';
import { startWebStack, type WebStack } from './support/web-stack';

const WIDTHS = [1280, 375] as const;

/**
 * Every page, dialog and state the screenshots show, checked as a person meets it, in Chromium over
 * the whole stack: the screen tour (scripts/dev/screen-tour.ts, the same stops `npm run screenshots`
 * photographs) at 1280 and 375 px, each with axe (no serious or critical violation), nothing wider
 * than the window, and no error in the console. All stops are visited; the failures are listed together.
 */
describe('web app: every state of the screen tour', () => {
  let stack: WebStack;
  let receiver: http.Server;
  let shots: Shot[];

  before(async () => {
    stack = await startWebStack({ ...TOUR_ENV, BOOKIT_ADMIN_PASSWORD: TOUR_PASSWORD });
    receiver = await startReceiver();
    shots = await furnishTour({ api: stack.base, sql: stack.ctx.db.sql }, receiver);
  });
  after(async () => {
    receiver?.closeAllConnections();
    receiver?.close();
    await stack?.close();
  });

  for (const width of WIDTHS) {
    it(`at ${width} px: axe finds nothing serious, nothing scrolls sideways, the console stays clean`, async () => {
      const problems: string[] = [];
      // One profile per person at this width, signed in once; each stop opens its own page in it.
      const profiles = new Map<string, BrowserContext>();
      try {
        for (const shot of shots) {
          const where = `${shot.name} at ${width} px`;
          let context = profiles.get(shot.who.email);
          if (!context) {
            context = await tourContext(stack.browser, stack.base, width);
            profiles.set(shot.who.email, context);
            const first = await context.newPage();
            await signInAs(first, shot.who);
            await first.close();
          }
          const page = await context.newPage();
          const logged: string[] = [];
          // The browser's own line for an answer the stop is about (its 404, its 409) is that state, not a fault.
          const expected = (shot.answers ?? []).map((status) => `status of ${status} `);
          page.on('console', (message) => {
            const text = message.text();
            if (message.type() === 'error' && !expected.some((answer) => text.includes(answer))) logged.push(text);
          });
          page.on('pageerror', (error) => logged.push(error.message));
          try {
            await openIn(page, shot);
            for (const check of [assertAccessible, assertFitsWidth])
              await check(page, where).catch((failure: Error) => problems.push(failure.message));
            if (logged.length) problems.push(`${where}: console errors ${JSON.stringify(logged)}`);
          } catch (failure) {
            problems.push(`${where} could not be opened: ${(failure as Error).message.split('\n')[0]}`);
          } finally {
            await page.close();
          }
        }
      } finally {
        for (const context of profiles.values()) await context.close();
      }
      assert.ok(shots.length >= 40, `the tour has its stops (${shots.length})`);
      assert.deepEqual(problems, [], 'every stop passes');
    });
  }
});
