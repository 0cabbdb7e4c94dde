import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { Config } from '../../src/config/config';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium `npm test` found or installed (CHROMIUM_PATH), headless. */
export async function launchChromium(config: Pick<Config, 'chromiumPath'>): Promise<Browser> {
  assert.ok(config.chromiumPath, 'CHROMIUM_PATH names a Chromium (npm test finds or installs one and sets it)');
  return chromium.launch({ executablePath: config.chromiumPath, args: CHROMIUM_ARGS });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 740 };

let axeSource: Promise<string> | undefined;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/**
 * Runs axe-core inside the page as it is now and fails on any serious or critical violation,
 * naming each rule and the elements. The script is evaluated through the DevTools protocol, which
 * the page's CSP does not govern, so the app runs under its real policy.
 */
export async function assertAccessible(page: Page, where: string): Promise<void> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(await axeSource);
  // A string, as the root tsconfig has no DOM types: it runs in the page.
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`)) as AxeViolation[];
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    serious.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`),
    [],
    `axe-core finds no serious or critical violation on ${where}`,
  );
}

/** Nothing is wider than the screen: a page usable 375 px wide scrolls only down. */
export async function assertFitsWidth(page: Page, where: string): Promise<void> {
  const { scrollWidth, innerWidth } = (await page.evaluate(
    '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
  )) as { scrollWidth: number; innerWidth: number };
  assert.ok(scrollWidth <= innerWidth, `${where} fits ${innerWidth} px (content is ${scrollWidth} px wide)`);
}

/**
 * Moves focus with the Tab key alone until it rests on `target`, as a keyboard user would (fails
 * when it is not reachable within `maxPresses`), so the following key press acts on it.
 */
export async function tabTo(page: Page, target: Locator, maxPresses = 80): Promise<void> {
  const handle = await target.elementHandle();
  assert.ok(handle, 'the element to reach exists');
  for (let presses = 0; presses < maxPresses; presses++) {
    if (
      await handle.evaluate(
        (element) => element === (element.ownerDocument as { activeElement: unknown }).activeElement,
      )
    )
      return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`not reachable with ${maxPresses} presses of Tab: ${target.toString()}`);
}
