import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertAccessible, assertFitsWidth, DESKTOP, PHONE, tabTo } from './support/browser';
import { eventually, given, slotOnDay, uniqueEmail } from './support';
import { startWebStack, type WebStack } from './support/web-stack';
import {
  assertNotReloaded,
  bell,
  bellCount,
  markPage,
  navigate,
  signIn,
  signInWithKeyboard,
  waitForText,
} from './support/web-person';

const ZONE = 'Asia/Kolkata';

/**
 * A person's first day with BookIT, in Chromium against the whole stack: the super admin creates
 * them, the welcome email brings them to the sign-in page, they change the emailed password, book
 * a venue and watch the confirmation arrive in the bell; another member cannot see that booking.
 */
describe('web app: from the welcome email to a confirmed booking', () => {
  let stack: WebStack;
  let venue: { id: number; name: string };

  before(async () => {
    stack = await startWebStack();
    venue = await given(stack.ctx).venue({
      name: `Journey Hall ${Math.random().toString(36).slice(2, 7)}`,
      location: 'North wing',
      capacity: 120,
      timeZone: ZONE,
    });
  });
  after(() => stack?.close());

  it('a super admin creates a member → the member signs in with the emailed password → must change it → books a venue → sees "Booked" arrive in the bell', async () => {
    const admin = await stack.ctx.createUser('super_admin', { fullName: 'Ada Admin' });
    const { page: adminPage } = await stack.person(DESKTOP);
    await signIn(adminPage, admin.email, admin.password);
    await navigate(adminPage, 'Users');
    await assertAccessible(adminPage, 'the users page');
    const email = uniqueEmail('nia');
    await adminPage.getByLabel('Full name', { exact: true }).fill('Nia Newcomer');
    await adminPage.getByLabel('Email', { exact: true }).fill(email);
    await adminPage.getByLabel('Role', { exact: true }).selectOption('member');
    await adminPage.getByRole('button', { name: 'Create user' }).click();
    await waitForText(
      adminPage
        .getByRole('status')
        .filter({ hasText: /Created/ })
        .first(),
      /welcome email/i,
      'the admin is told the welcome email is on its way',
    );

    const welcome = await stack.ctx.mailbox.waitFor(email, (mail) => /welcome/i.test(mail.subject), 30_000);
    const emailedPassword = /Password:\s*(\S+)/.exec(welcome.text)?.[1];
    const signInLink = new RegExp(`${stack.base.replace(/[.]/g, '\\.')}/sign-in\\S*`).exec(welcome.text)?.[0];
    assert.ok(emailedPassword, 'the welcome email carries a password');
    assert.ok(signInLink, `the welcome email links to the app's sign-in page (${welcome.text})`);

    // The member, on their own browser, with the keyboard alone until the booking form.
    const { page } = await stack.person(DESKTOP);
    await page.goto(signInLink);
    await assertAccessible(page, 'the sign-in page');
    await signInWithKeyboard(page, email, emailedPassword);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await assertAccessible(page, 'the change-password page');
    const newPassword = 'correct horse battery staple';
    await tabTo(page, page.getByLabel('Current password'));
    await page.keyboard.type(emailedPassword);
    await tabTo(page, page.getByLabel('New password', { exact: true }));
    await page.keyboard.type(newPassword);
    await tabTo(page, page.getByLabel('Repeat new password'));
    await page.keyboard.type(newPassword);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor({ state: 'hidden' });
    const [changed] = await stack.ctx.db.sql<
      { must_change_password: boolean }[]
    >`select must_change_password from users where email = ${email}`;
    assert.equal(changed?.must_change_password, false, 'the password was changed');

    await tabTo(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Book a venue' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Book a venue' }).waitFor();
    await assertAccessible(page, 'the booking page');
    const before = await bellCount(page);
    await markPage(page);

    const slot = slotOnDay(3, 10, 2, ZONE);
    await page.getByLabel('Venue').selectOption(String(venue.id));
    await page.getByLabel('Date').fill(slot.date);
    await page.getByLabel('Start time').fill(slot.start_time);
    await page.getByLabel('End time').fill(slot.end_time);
    await page.getByLabel('Event name').fill('Orientation day');
    await tabTo(page, page.getByRole('button', { name: 'Book', exact: true }));
    await page.keyboard.press('Enter');
    await waitForText(
      page
        .getByRole('status')
        .filter({ hasText: /Booked/ })
        .first(),
      /Orientation day/,
      'the page says it is booked',
    );

    // The workflow records "Booked"; the stream brings the server's new count.
    await eventually(
      async () => (await bellCount(page)) >= before + 1,
      'the bell counting the confirmation without a reload',
    );
    await assertNotReloaded(page);
    await bell(page).click();
    assert.equal(await bell(page).getAttribute('aria-expanded'), 'true');
    // The panel the button says it controls.
    const recent = page.locator(`#${await bell(page).getAttribute('aria-controls')}`);
    await waitForText(recent, /Booked/, "the bell's dropdown lists the booking");
    await assertAccessible(page, 'the open bell');
    const [row] = await stack.ctx.db.sql<{ n: number }[]>`
      select count(*)::int as n from notifications n join users u on u.id = n.user_id where u.email = ${email} and n.is_read = false`;
    assert.equal(await bellCount(page), row!.n, "the bell shows the server's number");

    // Choosing it marks it read and opens the booking it is about.
    const [booked] = await stack.ctx.db.sql<
      { id: number }[]
    >`select b.id from bookings b join users u on u.id = b.user_id where u.email = ${email}`;
    await recent
      .getByRole('link', { name: /Booked/ })
      .or(recent.getByRole('button', { name: /Booked/ }))
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: 'Orientation day' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/bookings/${booked!.id}`);
    await eventually(async () => (await bellCount(page)) === row!.n - 1, 'the bell counting one fewer unread');
    await assertAccessible(page, 'a booking page');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Orientation day' }).waitFor();
    assert.equal(
      await page.getByRole('heading', { name: 'Sign in' }).count(),
      0,
      'a reload keeps the member signed in',
    );
  });

  it('a member cannot open another member\'s booking page: the app shows "Not found"', async () => {
    const [owner, stranger] = await Promise.all([stack.ctx.createUser('member'), stack.ctx.createUser('member')]);
    const slot = slotOnDay(4, 9, 1, ZONE);
    const created = await stack.ctx.request('POST', '/api/bookings', {
      token: owner.token,
      body: { venue: venue.id, ...slot, event_name: 'Private rehearsal' },
    });
    const booking = (await created.json()) as { id: number };

    const { page } = await stack.person(PHONE);
    await signIn(page, stranger.email, stranger.password, `/bookings/${booking.id}`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    assert.equal(await page.getByText('Private rehearsal').count(), 0, 'nothing of the booking shows');
    await assertAccessible(page, 'the not-found page');
    await assertFitsWidth(page, 'the not-found page');

    const { page: ownPage } = await stack.person(PHONE);
    await signIn(ownPage, owner.email, owner.password, `/bookings/${booking.id}`);
    await ownPage.getByRole('heading', { name: 'Private rehearsal' }).waitFor();
    await assertAccessible(ownPage, 'a booking page');
    await assertFitsWidth(ownPage, 'a booking page');
  });

  it('a session ended elsewhere (signed out on another device) lands the open page on sign-in with a message', async () => {
    const member = await stack.ctx.createUser('member');
    const { page } = await stack.person(DESKTOP);
    await signIn(page, member.email, member.password);
    await bell(page).waitFor();
    assert.equal((await stack.ctx.request('POST', '/api/auth/logout', { token: member.token })).status, 200);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 30_000 });
    await waitForText(page.getByRole('main'), /session (has )?ended|signed out/i, 'the sign-in page says why');
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });
});
