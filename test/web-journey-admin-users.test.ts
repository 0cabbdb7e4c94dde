import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { eventually, given, slotOnDay, uniqueEmail, type ReceivedEmail, type TestUser } from './support';
import { assertAccessible, assertFitsWidth, DESKTOP, PHONE, tabTo } from './support/browser';
import { startWebStack, type WebStack } from './support/web-stack';
import { navigate, signIn, signInWithKeyboard, waitForText } from './support/web-person';

const ZONE = 'Asia/Kolkata';
const passwordIn = (mail: ReceivedEmail) => /Password:\s*(\S+)/.exec(mail.text)?.[1] ?? '';
const isWelcome = (mail: ReceivedEmail) => /welcome/i.test(mail.subject);

/** Errors the page's console printed (a failed request, a script error), gathered while the test runs. */
function consoleErrorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/**
 * A super admin's week, in Chromium over the whole stack: the users table searched by name with the
 * keyboard, a lost welcome sent again (the person signs in with the new password, the first one is
 * refused), the filters kept in a shareable address; the email log as a compact table filtered to
 * what was held back; and the settings grid, at 1280 and 375 px.
 */
describe('web app: the super admin pages — users, the email log, settings', () => {
  let stack: WebStack;
  let admin: TestUser;
  const tag = randomBytes(3).toString('hex');

  before(async () => {
    stack = await startWebStack();
    admin = await given(stack.ctx).superAdmin({ fullName: 'Sam Super' });
  });
  after(() => stack?.close());

  /** Someone the super admin created (through the API); their first welcome has arrived. */
  async function createdThroughTheApi(fullName: string) {
    const email = uniqueEmail('lovelace');
    const created = await stack.ctx.request('POST', '/api/users', {
      token: admin.token,
      body: { email, full_name: fullName, role: 'member' },
    });
    assert.equal(created.status, 201, await created.clone().text());
    const first = await stack.ctx.mailbox.waitFor(email, isWelcome, 30_000);
    return { email, firstPassword: passwordIn(first) };
  }

  it('finds Ada by name in the users table with the keyboard, resends her welcome; she signs in with the new password, the first is refused, and the filters live in the address', async () => {
    const name = `Ada Lovelace ${tag}`;
    const ada = await createdThroughTheApi(name);
    for (const other of ['Alan Turing', 'Grace Hopper', 'Edsger Dijkstra'])
      await given(stack.ctx).member({ fullName: `${other} ${tag}` });

    const { page } = await stack.person(DESKTOP);
    const errors = consoleErrorsOf(page);
    await signIn(page, admin.email, admin.password);
    await navigate(page, 'Users');
    const table = page.getByRole('region', { name: 'Users table' });
    await table.getByRole('row').nth(1).waitFor();
    await assertAccessible(page, 'the users table');
    await assertFitsWidth(page, 'the users table at 1280 px');

    // Typing pauses, the table asks again, and the address says what was searched.
    await tabTo(page, page.getByLabel('Search by name or email'));
    await page.keyboard.type(`lovelace ${tag}`);
    await eventually(
      async () => new URL(page.url()).searchParams.get('q') === `lovelace ${tag}`,
      'the search in the address',
    );
    const rows = table.getByRole('row');
    await eventually(async () => (await rows.count()) === 2, 'one user (and the heading row) left in the table');
    const row = rows.filter({ hasText: name });
    await waitForText(row, /Never signed in/, "Ada's row says she never signed in");
    assert.match(await row.innerText(), new RegExp(ada.email.replace(/[.+]/g, '\\$&')));
    assert.match(await row.innerText(), /never/);

    // The Edit dialog opens and closes with the keyboard, focus back on its button.
    const edit = row.getByRole('button', { name: `Edit ${name}` });
    await tabTo(page, edit);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Edit ${name}` });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Email').inputValue(), ada.email);
    await assertAccessible(page, 'the edit dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(
      await edit.evaluate((button) => button === (button.ownerDocument as { activeElement: unknown }).activeElement),
      true,
      'focus is back on the Edit button',
    );

    await tabTo(page, row.getByRole('button', { name: `Resend welcome to ${name}` }));
    await page.keyboard.press('Enter');
    await waitForText(
      page.getByRole('status').filter({ hasText: /welcome email/ }),
      new RegExp(`A new welcome email is on its way to ${name} at`),
      'the page says the welcome is on its way',
    );
    await assertAccessible(page, 'the users table after a resend');

    const welcomes = await eventually(async () => {
      const received = (await stack.ctx.mailbox.to(ada.email)).filter(isWelcome);
      return received.length >= 2 ? received : undefined;
    }, 'the second welcome email');
    const newPassword = welcomes.map(passwordIn).find((password) => password !== ada.firstPassword);
    assert.ok(newPassword, 'the new welcome carries a new password');

    // Ada, on her own browser: the first password is refused, the new one signs in.
    const { page: adasPage } = await stack.person(DESKTOP);
    await adasPage.goto('/sign-in');
    await signInWithKeyboard(adasPage, ada.email, ada.firstPassword);
    await waitForText(adasPage.getByRole('alert'), /No active account/, 'the first password is refused');
    await adasPage.getByLabel('Email').fill(ada.email);
    await adasPage.getByLabel('Password').fill(newPassword);
    await adasPage.keyboard.press('Enter');
    await adasPage.getByRole('heading', { name: 'Choose a new password' }).waitFor();

    // The shared address opens the same search; Ada has signed in now, so no resend for her.
    const shared = page.url();
    const { page: again } = await stack.person(DESKTOP);
    const againErrors = consoleErrorsOf(again);
    await signIn(again, admin.email, admin.password, new URL(shared).pathname + new URL(shared).search);
    const adaAgain = again.getByRole('region', { name: 'Users table' }).getByRole('row').filter({ hasText: name });
    await waitForText(adaAgain, /Active/, 'Ada is active now');
    assert.equal(await adaAgain.getByRole('button', { name: `Resend welcome to ${name}` }).count(), 0);
    assert.equal(await again.getByLabel('Search by name or email').inputValue(), `lovelace ${tag}`);

    await again.getByLabel('Show status').selectOption('never_signed_in');
    await eventually(
      async () => new URL(again.url()).searchParams.get('status') === 'never_signed_in',
      'the status in the address',
    );
    await waitForText(again.getByText('No user matches.'), /No user matches/, 'nobody left to welcome');
    await again.getByLabel('Show status').selectOption('');
    await again.getByLabel('Search by name or email').fill(tag);
    await again.getByLabel('Show role').selectOption('member');
    await eventually(
      async () =>
        (await again.getByRole('region', { name: 'Users table' }).getByRole('row').count()) === 5 ? true : undefined,
      'the four members of this test (and the heading row)',
    );
    assert.deepEqual(errors, [], 'no console error on the users page');
    assert.deepEqual(againErrors, [], 'no console error on the shared users page');
  });

  it('on a phone the users table, the email log and the settings grid fit 375 px; what a turned-off email held back is one filter away', async () => {
    const member = await given(stack.ctx).member({ fullName: `Pat Phone ${tag}` });
    const { page: memberPage } = await stack.person(PHONE);
    const memberErrors = consoleErrorsOf(memberPage);
    await signIn(memberPage, member.email, member.password, '/settings');
    const grid = memberPage.getByRole('table', { name: 'Notifications by type and channel' });
    await grid.waitFor();
    await assertAccessible(memberPage, 'the settings grid at 375 px');
    await assertFitsWidth(memberPage, 'the settings grid');
    const toggle = grid.getByRole('checkbox', { name: 'Booking made by email' });
    assert.equal(await toggle.isChecked(), true);
    assert.equal(await grid.getByRole('checkbox', { name: 'Booking made in-app' }).isChecked(), true);
    await tabTo(memberPage, toggle);
    await memberPage.keyboard.press('Space');
    await waitForText(
      memberPage.getByRole('status').filter({ hasText: /Saved/ }),
      /Saved: Booking made by email is off/,
      'the grid says what it saved',
    );
    const venue = await given(stack.ctx).venue({ name: `Quiet Room ${tag}`, timeZone: ZONE });
    const { booking } = await given(stack.ctx).booking(member, venue, {
      slot: slotOnDay(4, 10, 1, ZONE),
      eventName: 'Held back',
    });
    assert.deepEqual(memberErrors, [], 'no console error on the settings page');
    await eventually(async () => {
      const answer = await stack.ctx.request('GET', '/api/admin/emails?status=suppressed&limit=100', {
        token: admin.token,
      });
      const held = (await answer.json()) as Array<{ recipient: string }>;
      return held.some((entry) => entry.recipient === member.email) ? true : undefined;
    }, "the booking's email held back");

    const { page } = await stack.person(PHONE);
    const errors = consoleErrorsOf(page);
    await signIn(page, admin.email, admin.password, `/admin/users?q=${tag}`);
    await page
      .getByRole('region', { name: 'Users table' })
      .getByRole('row', { name: /Pat Phone/ })
      .waitFor();
    await assertAccessible(page, 'the users table at 375 px');
    await assertFitsWidth(page, 'the users table');

    await navigate(page, 'Email log');
    const status = page.getByLabel('Status');
    const offered = await status.locator('option').allInnerTexts();
    assert.ok(offered.includes('Bounced') && offered.includes('Suppressed'), `the filter offers ${offered.join(', ')}`);
    await status.selectOption('suppressed');
    await eventually(
      async () => new URL(page.url()).searchParams.get('status') === 'suppressed',
      'the filter in the address',
    );
    const held = page
      .getByRole('region', { name: 'Email log table' })
      .getByRole('row')
      .filter({ hasText: member.email });
    await waitForText(held, /suppressed/, "the booking's email, held back");
    assert.match(await held.innerText(), /turned off booking_confirmed emails/);
    assert.ok(booking.id > 0);
    await assertAccessible(page, 'the email log at 375 px');
    await assertFitsWidth(page, 'the email log');
    assert.deepEqual(errors, [], 'no console error on the admin pages on a phone');
  });

  it('the email log at 1280 px: 29 emails, one line each, take well under 1 000 px', async () => {
    // Real welcomes, enough for a page of 29 and more.
    await Promise.all(
      Array.from({ length: 29 }, (_, i) =>
        stack.ctx.request('POST', '/api/users', {
          token: admin.token,
          body: {
            email: uniqueEmail(`a-rather-long-address-of-person-${i}`),
            full_name: `Log Filler ${i}`,
            role: 'member',
          },
        }),
      ),
    );
    await eventually(async () => {
      const answer = await stack.ctx.request('GET', '/api/admin/emails?status=sent&limit=100', { token: admin.token });
      return ((await answer.json()) as unknown[]).length >= 29 ? true : undefined;
    }, '29 emails sent');

    const { page } = await stack.person(DESKTOP);
    const errors = consoleErrorsOf(page);
    await signIn(page, admin.email, admin.password, '/admin/emails?status=sent');
    const table = page.getByRole('region', { name: 'Email log table' }).getByRole('table');
    const rows = table.getByRole('row');
    await rows.nth(29).waitFor();
    await assertAccessible(page, 'the email log at 1280 px');
    await assertFitsWidth(page, 'the email log at 1280 px');
    const top = (await table.boundingBox())!.y;
    const heights: number[] = [];
    for (let i = 1; i <= 29; i++) heights.push((await rows.nth(i).boundingBox())!.height);
    const bottom = (await rows.nth(29).boundingBox())!;
    const tall = bottom.y + bottom.height - top;
    assert.ok(tall < 900, `29 emails and the heading take ${Math.round(tall)} px`);
    assert.ok(
      heights.every((height) => height < 36),
      `every email is one line (${heights.map(Math.round).join(', ')} px)`,
    );
    const recipient = rows.nth(1).getByRole('cell').nth(1);
    assert.equal(
      await recipient.getAttribute('title'),
      (await recipient.innerText()).trim(),
      'the whole address in its title',
    );

    await navigate(page, 'Settings');
    await page.getByRole('table', { name: 'Notifications by type and channel' }).waitFor();
    await assertAccessible(page, 'the settings grid at 1280 px');
    await assertFitsWidth(page, 'the settings grid at 1280 px');
    assert.deepEqual(errors, [], 'no console error on the email log and settings');
  });
});
