import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertAccessible, assertFitsWidth, DESKTOP, PHONE } from './support/browser';
import { eventually, given, slotOnDay } from './support';
import { startWebStack, type WebStack } from './support/web-stack';
import { bellCount, navigate, signIn, waitForText } from './support/web-person';

const ZONE = 'Asia/Kolkata';
const HOUR = 3_600_000;

/**
 * What members ask for next, through the web app in Chromium over the whole stack: turning an email
 * off on the settings page (the in-app notice still comes; the email is held back and logged), a
 * private calendar feed a calendar app can read, and checking in from the bookings page.
 */
describe('web app: settings, calendar feed and check-in', () => {
  let stack: WebStack;

  before(async () => {
    stack = await startWebStack();
  });
  after(() => stack?.close());

  async function newVenue(checkInOpensBeforeMinutes?: number): Promise<number> {
    const checkIn =
      checkInOpensBeforeMinutes === undefined ? undefined : { opensBeforeMinutes: checkInOpensBeforeMinutes };
    return (
      await given(stack.ctx).venue({
        name: `Reading Room ${Math.random().toString(36).slice(2, 7)}`,
        timeZone: ZONE,
        checkIn,
      })
    ).id;
  }

  it('a member turns off "Booking made" emails: the next booking shows in the bell, no email comes, and the email log says why', async () => {
    const member = await stack.ctx.createUser('member', { fullName: 'Pia Preferences' });
    const { page } = await stack.person(DESKTOP);
    await signIn(page, member.email, member.password);
    await navigate(page, 'Settings');
    await assertAccessible(page, 'the settings page');
    const emailToggle = page.getByRole('checkbox', { name: 'Booking made by email' });
    assert.equal(await emailToggle.isChecked(), true, 'on until turned off');
    await emailToggle.uncheck();
    const save = page.getByRole('button', { name: /^Save/ });
    if (await save.count()) await save.first().click();
    await waitForText(page.getByRole('status').filter({ hasText: /Saved/ }).first(), /Saved/, 'the page says it saved');
    const [stored] = await stack.ctx.db.sql<
      { email: boolean | null }[]
    >`select email from notification_preferences where user_id = ${member.id} and type = 'booking_confirmed'`;
    assert.equal(stored?.email, false);

    const before = await bellCount(page);
    const venueId = await newVenue();
    const { id } = (
      await given(stack.ctx).booking(member, venueId, { slot: slotOnDay(4, 11, 1, ZONE), eventName: 'Quiet reading' })
    ).booking;
    await eventually(async () => (await bellCount(page)) > before, 'the in-app notice in the bell');
    const logged = await eventually(async () => {
      const [row] = await stack.ctx.db.sql<
        { status: string; suppressed_reason: string | null }[]
      >`select status, suppressed_reason from email_log where idempotency_key = ${`booking:${id}:created`}`;
      return row;
    }, "the email log's entry");
    assert.equal(logged.status, 'suppressed');
    assert.match(logged.suppressed_reason ?? '', /turned off booking_confirmed emails/);
    assert.equal(
      (await stack.ctx.mailbox.to(member.email)).filter((mail) => mail.subject.includes('Quiet reading')).length,
      0,
      'no email about it',
    );
  });

  it('a member makes a private calendar feed on the settings page; a calendar app reads their booking from it', async () => {
    const member = await stack.ctx.createUser('member', { fullName: 'Cal Feeder' });
    const venueId = await newVenue();
    await given(stack.ctx).booking(member, venueId, { slot: slotOnDay(5, 9, 2, ZONE), eventName: 'Thesis writing' });

    const { page } = await stack.person(PHONE);
    await signIn(page, member.email, member.password, '/settings');
    await page.getByRole('button', { name: 'Make my calendar feed' }).click();
    const field = page
      .locator('input[readonly]')
      .filter({ hasNot: page.locator('[type=checkbox]') })
      .first();
    const url = await eventually(async () => {
      const value = await field.inputValue().catch(() => '');
      return /\/calendar\/.+\.ics$/.test(value) ? value : undefined;
    }, 'the feed URL on the page');
    const subscribe = page.getByRole('link', { name: /^Subscribe in my calendar app/ }).first();
    assert.equal(
      await subscribe.getAttribute('href'),
      url.replace(/^https?:\/\//, 'webcal://'),
      'a one-step Subscribe link for calendar apps (webcal)',
    );
    await assertAccessible(page, 'the settings page with a feed');
    await assertFitsWidth(page, 'the settings page');

    const feed = await fetch(url);
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get('content-type') ?? '', /^text\/calendar/);
    const ics = await feed.text();
    assert.match(ics, /SUMMARY:Thesis writing/);
    assert.match(ics, /METHOD:PUBLISH/);
  });

  it('at a venue that asks for check-in, the booker checks in from the bookings page inside the window', async () => {
    const member = await stack.ctx.createUser('member', { fullName: 'Chet Checkin' });
    // The window opens two hours before the start, so a booking an hour ahead can be checked in to now.
    const venueId = await newVenue(120);
    const { id } = (
      await given(stack.ctx).booking(
        member,
        { id: venueId, timeZone: ZONE },
        { aheadMs: HOUR, durationMs: HOUR, eventName: 'Lab induction' },
      )
    ).booking;

    const { page } = await stack.person(DESKTOP);
    await signIn(page, member.email, member.password);
    await navigate(page, 'My bookings');
    const item = page
      .getByRole('listitem')
      .filter({ hasText: 'Lab induction' })
      .or(page.getByRole('article').filter({ hasText: 'Lab induction' }))
      .first();
    await waitForText(item, /Check in/, 'the booking offers check-in');
    await assertAccessible(page, 'my bookings with a check-in');
    await item.getByRole('button', { name: /^Check in/ }).click();
    await waitForText(item, /Checked in/, 'the booking reads checked in');
    const [row] = await stack.ctx.db.sql<
      { checked_in_at: Date | null }[]
    >`select checked_in_at from bookings where id = ${id}`;
    assert.ok(row?.checked_in_at, 'the row says checked in');
  });
});
