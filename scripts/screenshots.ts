// `npm run screenshots`: every page of the web app at 1280 and 375 px wide, written to
// docs/screenshots/<page>-<width>.png. Starts a throwaway stack (PostgreSQL, Temporal, MailDev, one
// worker, one API), furnishes it with the screen tour (scripts/dev/screen-tour.ts: venues, people, a
// booking in each state, waitlist offers, an address that bounces, webhook endpoints, an
// announcement), then opens each stop as its person. A page wider than the window is said in a line:
// at 375 px nothing may scroll sideways (test/web-every-state.test.ts fails on it).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '../src/config/config';
import { findChromium } from './dev/chromium';
import { startCluster, stopOnInterrupt } from './dev/harness/cluster';
import { say } from './dev/progress';
import { furnishTour, openStop, startReceiver, TOUR_ENV, TOUR_PASSWORD } from './dev/screen-tour';
import { runMain } from '../src/process/lifecycle';
import { buildWebApp } from '../web/build';

const OUT_DIR = path.resolve(import.meta.dirname, '../docs/screenshots');
const WIDTHS = [1280, 375] as const;

runMain(async () => {
  const config = loadConfig();
  // The pages of this checkout, not an earlier build's.
  await buildWebApp();
  const chromiumPath = findChromium(config.chromiumPath);
  if (!chromiumPath) throw new Error("No Chromium found: install Debian's chromium or set CHROMIUM_PATH");
  const cluster = await startCluster({
    apis: 1,
    workers: 1,
    label: 'screenshots',
    env: { ...TOUR_ENV, BOOKIT_ADMIN_PASSWORD: TOUR_PASSWORD },
  });
  stopOnInterrupt(cluster);
  const receiver = await startReceiver();
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const base = cluster.apis[0]!.url!;
    const shots = await furnishTour({ api: base, sql: cluster.sql }, receiver);
    await mkdir(OUT_DIR, { recursive: true });
    for (const width of WIDTHS) {
      for (const shot of shots) {
        const { context, page } = await openStop(browser, base, shot, width);
        try {
          // A string, as the root tsconfig has no DOM types: it runs in the page.
          const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
          if (scrollWidth > width) say(`${shot.name} at ${width} px is ${scrollWidth} px wide: it scrolls sideways`);
          await page.screenshot({ path: path.join(OUT_DIR, `${shot.name}-${width}.png`), fullPage: true });
        } finally {
          await context.close();
        }
      }
    }
    say(`wrote ${shots.length * WIDTHS.length} screenshots to ${path.relative(process.cwd(), OUT_DIR)}`);
  } finally {
    await browser.close();
    await cluster.stop();
    receiver.closeAllConnections();
    receiver.close();
  }
});
