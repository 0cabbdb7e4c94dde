import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { furnishTour, openStop, type Shot, startReceiver, TOUR_ENV, TOUR_PASSWORD } from '../scripts/dev/screen-tour';
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
      for (const shot of shots) {
        const logged: string[] = [];
        const watch = (page: Page) => {
          page.on('console', (message) => {
            if (message.type() === 'error') logged.push(message.text());
          });
          page.on('pageerror', (error) => logged.push(error.message));
        };
        let opened: Awaited<ReturnType<typeof openStop>> | null = null;
        try {
          opened = await openStop(stack.browser, stack.base, shot, width, watch);
          const where = `${shot.name} at ${width} px`;
          for (const check of [assertAccessible, assertFitsWidth])
            await check(opened.page, where).catch((failure: Error) => problems.push(failure.message));
          if (logged.length) problems.push(`${where}: console errors ${JSON.stringify(logged)}`);
        } catch (failure) {
          problems.push(
            `${shot.name} at ${width} px could not be opened: ${(failure as Error).message.split('\n')[0]}`,
          );
        } finally {
          await opened?.context.close();
        }
      }
      assert.ok(shots.length >= 40, `the tour has its stops (${shots.length})`);
      assert.deepEqual(problems, [], 'every stop passes');
    });
  }
});
