import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, assertFitsWidth, DESKTOP, PHONE, tabTo } from './support/browser';
import { eventually, given, slotOnDay, type TestUser } from './support';
import { startWebStack, type WebStack } from './support/web-stack';
import { assertNotReloaded, markPage, navigate, signIn, waitForText } from './support/web-person';

const ZONE = 'Asia/Kolkata';
const HOUR = 3_600_000;

/**
 * The slot everyone wants, and the booking that must be confirmed, as two members live them in
 * Chromium against the whole stack: the conflict turns into a place on the waitlist in one click,
 * the offer arrives on the open page with its countdown and is claimed; a reminder arrives on the
 * open page and is confirmed there. One of the two members uses a 375 px wide phone.
 */
describe('web app: the waitlist and the reminder, live', () => {
  let stack: WebStack;

  before(async () => {
    stack = await startWebStack();
  });
  after(() => stack?.close());

  async function newVenue(name: string): Promise<number> {
    return (
      await given(stack.ctx).venue({
        name: `${name} ${Math.random().toString(36).slice(2, 7)}`,
        location: 'Main campus',
        timeZone: ZONE,
      })
    ).id;
  }

  /** The list item (or article) that shows one booking or waitlist entry, found by its text. */
  const itemWith = (page: Page, text: string | RegExp) =>
    page
      .getByRole('listitem')
      .filter({ hasText: text })
      .or(page.getByRole('article').filter({ hasText: text }))
      .first();

  it('a second member hits the conflict and joins the waitlist in one click; the first cancels; the offer arrives live with its countdown and is claimed', async () => {
    const venueId = await newVenue('Seminar Room');
    const [first, second] = await Promise.all([
      stack.ctx.createUser('member', { fullName: 'Fay First' }),
      stack.ctx.createUser('member', { fullName: 'Sam Second' }),
    ]);
    const slot = slotOnDay(5, 14, 2, ZONE);
    await given(stack.ctx).booking(first, venueId, { slot, eventName: 'Thesis defence' });

    // The second member, on a phone.
    const { page: phone } = await stack.person(PHONE);
    await signIn(phone, second.email, second.password);
    await navigate(phone, 'Book a venue');
    await phone.getByLabel('Venue').selectOption(String(venueId));
    await phone.getByLabel('Date').fill(slot.date);
    await phone.getByRole('gridcell', { name: /, 14:00–16:00, Booked$/ }).waitFor();
    await assertAccessible(phone, "the booking page with a day's bookings");
    await assertFitsWidth(phone, 'the booking page');
    await phone.getByLabel('Start time').fill(slot.start_time);
    await phone.getByLabel('End time').fill(slot.end_time);
    await phone.getByLabel('Event name').fill('Study group');
    await phone.getByRole('button', { name: 'Book', exact: true }).click();
    await waitForText(
      phone.getByRole('alert').first(),
      /already booked for an overlapping time/,
      'the conflict is explained',
    );
    await tabTo(phone, phone.getByRole('button', { name: 'Join the waitlist' }));
    await phone.keyboard.press('Enter');
    await waitForText(
      phone
        .getByRole('status')
        .filter({ hasText: /waitlist/i })
        .first(),
      /on the waitlist/i,
      'the page says they are waiting',
    );
    const [entry] = await stack.ctx.db.sql<
      { id: number; status: string }[]
    >`select id, status from waitlist_entries where user_id = ${second.id}`;
    assert.equal(entry?.status, 'waiting', 'one click joined the waitlist');
    assert.equal(
      await phone
        .getByRole('alert')
        .filter({ hasText: /already booked/ })
        .count(),
      0,
      'once on the waitlist, the clash is no longer shown as an error',
    );

    await navigate(phone, 'Waitlist');
    await waitForText(itemWith(phone, /Seminar Room/), /ahead of you/i, 'the waitlist shows the place in line');
    await assertAccessible(phone, 'the waitlist page');
    await assertFitsWidth(phone, 'the waitlist page');
    await markPage(phone);

    // The first member cancels from their bookings page.
    const { page: desk } = await stack.person(DESKTOP);
    await signIn(desk, first.email, first.password);
    await navigate(desk, 'My bookings');
    const booking = itemWith(desk, 'Thesis defence');
    await booking.waitFor();
    await assertAccessible(desk, 'my bookings');
    // In the list, the button says which booking it cancels.
    await booking.getByRole('button', { name: /^Cancel booking: Thesis defence, / }).click();
    const dialog = desk.getByRole('dialog');
    await dialog.getByLabel('Reason').fill('Committee unavailable');
    await dialog.getByRole('button', { name: 'Cancel booking' }).click();
    await waitForText(itemWith(desk, 'Thesis defence'), /Cancelled/i, 'the booking reads cancelled');

    // The offer arrives on the open waitlist page, counting down.
    const timer = phone.getByRole('timer').first();
    const shown = await waitForText(timer, /\d{1,2}:\d{2}/, "the offer's countdown appears without a reload");
    await assertNotReloaded(phone);
    const seconds = (text: string) => {
      const [, m, s] = /(\d{1,2}):(\d{2})/.exec(text)!;
      return Number(m) * 60 + Number(s);
    };
    assert.ok(seconds(shown) <= 15 * 60 && seconds(shown) > 10 * 60, `about 15 minutes to claim (${shown})`);
    await eventually(async () => {
      const now = await timer.innerText();
      return /\d{1,2}:\d{2}/.test(now) && seconds(now) < seconds(shown);
    }, 'the countdown moving on');
    await assertAccessible(phone, 'the waitlist page with an offer');
    // Elsewhere in the app, the offer follows as a banner counting down, with Claim.
    await navigate(phone, 'My bookings');
    const banner = phone.getByRole('region', { name: 'A slot offered to you' });
    await waitForText(banner.getByRole('timer'), /claim within \d{1,2}:\d{2}/, 'the banner counting down');
    assert.match(await banner.innerText(), /Seminar Room/, 'the banner names the venue');
    await banner.getByRole('button', { name: /^Claim: Seminar Room/ }).waitFor();
    await assertAccessible(phone, 'a page with the offer banner');
    await assertFitsWidth(phone, 'a page with the offer banner');
    await navigate(phone, 'Waitlist');
    assert.equal(await banner.count(), 0, 'not on the waitlist page, which lists the offer itself');
    await phone.getByRole('button', { name: 'Claim' }).click();
    await waitForText(
      phone
        .getByRole('status')
        .filter({ hasText: /Claimed/ })
        .first(),
      /booking/i,
      'the claim is confirmed on the page',
    );
    const claimed = await eventually(async () => {
      const [row] = await stack.ctx.db.sql<
        { status: string; booking_id: number | null }[]
      >`select status, booking_id from waitlist_entries where id = ${entry!.id}`;
      return row?.status === 'claimed' ? row : undefined;
    }, 'the entry claimed');
    const [mine] = await stack.ctx.db.sql<
      { user_id: number; status: string; event_name: string }[]
    >`select user_id, status, event_name from bookings where id = ${claimed.booking_id}`;
    assert.deepEqual(
      mine,
      { user_id: second.id, status: 'active', event_name: 'Study group' },
      "the slot is now the second member's booking, under the name they typed before joining",
    );
  });

  it('a reminder arrives on the open bookings page and is confirmed there', async () => {
    const venueId = await newVenue('Chemistry Lab');
    const member: TestUser = await stack.ctx.createUser('member', { fullName: 'Rita Reminded' });
    const { page } = await stack.person(DESKTOP);
    await signIn(page, member.email, member.password);
    await navigate(page, 'My bookings');
    await markPage(page);

    // Starting in five hours: inside the 24-hour reminder lead, so the reminder goes out at once.
    const { id } = (
      await given(stack.ctx).booking(
        member,
        { id: venueId, timeZone: ZONE },
        { aheadMs: 5 * HOUR, durationMs: HOUR, eventName: 'Titration practical' },
      )
    ).booking;

    const booking = itemWith(page, 'Titration practical');
    await waitForText(booking, /Reminder sent/i, 'the reminder shows on the open page');
    await waitForText(booking, /confirm you still need it by/i, 'with the time to confirm by');
    await assertNotReloaded(page);
    await assertAccessible(page, 'my bookings with a reminder');
    await tabTo(page, booking.getByRole('button', { name: 'Confirm I still need it' }));
    await page.keyboard.press('Enter');
    await waitForText(itemWith(page, 'Titration practical'), /Attendance confirmed/, 'the booking reads confirmed');
    const [row] = await stack.ctx.db.sql<{ confirmed: boolean }[]>`select confirmed from bookings where id = ${id}`;
    assert.equal(row?.confirmed, true);
  });
});
