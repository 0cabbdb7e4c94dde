import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { eventually } from '../../scripts/dev/harness/eventually';

/** What a person does again and again in the web app, through what they see on the page. */

/** Signs in on the sign-in page, with the keyboard alone: type, Tab, type, Enter. */
export async function signInWithKeyboard(page: Page, email: string, password: string): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').focus();
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}

export async function signIn(page: Page, email: string, password: string, path = '/sign-in'): Promise<void> {
  await page.goto(path);
  await signInWithKeyboard(page, email, password);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'hidden' });
}

/** The bell's accessible name carries the server's count: "Notifications, N unread". */
export const bell = (page: Page) => page.getByRole('button', { name: /^Notifications, \d+ unread$/ });

export async function bellCount(page: Page): Promise<number> {
  const name = (await bell(page).getAttribute('aria-label')) ?? '';
  const count = /Notifications, (\d+) unread/.exec(name)?.[1];
  assert.ok(count !== undefined, `the bell names its count ("${name}")`);
  return Number(count);
}

/**
 * Marks the page's JavaScript world, so a later `assertNotReloaded` proves what appeared since came
 * without a reload or a navigation away (a page load would start a new world without the mark).
 */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate('window.__journeyMark = true');
}

export async function assertNotReloaded(page: Page): Promise<void> {
  assert.equal(await page.evaluate('window.__journeyMark === true'), true, 'the page was not reloaded');
}

/** A link of the page's header (the main navigation, or the account links beside it); on a narrow screen it may sit behind the Menu button. */
export async function navigate(page: Page, name: string): Promise<void> {
  // The page the person is on has drawn its header once its heading shows.
  await page.getByRole('heading', { level: 1 }).waitFor();
  const link = page.getByRole('banner').getByRole('link', { name, exact: true }).first();
  if (!(await link.isVisible())) await page.getByRole('button', { name: 'Menu' }).click();
  if ((await link.getAttribute('aria-current')) === 'page') {
    await link.click();
    return;
  }
  // The page left keeps showing while the next one's code loads: its heading is marked, and the
  // next page has come once a heading without the mark shows.
  await page.getByRole('heading', { level: 1 }).first().evaluate('(h) => h.setAttribute("data-left", "")');
  await link.click();
  await page.locator('h1:not([data-left])').first().waitFor();
}

/** Waits until the element's text matches, as the page updates itself; fails naming what it last read. */
export async function waitForText(locator: Locator, pattern: RegExp, what: string): Promise<string> {
  let last = '';
  try {
    return await eventually(async () => {
      last = await locator.innerText({ timeout: 1_000 }).catch(() => '');
      return pattern.test(last) ? last : undefined;
    }, what);
  } catch (error) {
    throw new Error(`${(error as Error).message}; it last read ${JSON.stringify(last.slice(0, 300))}`);
  }
}
