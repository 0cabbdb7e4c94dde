import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { eventually, given, slotOnDay, zoneWithRoom } from './support';
import { assertAccessible, assertFitsWidth, DESKTOP, PHONE, tabTo } from './support/browser';
import { startWebStack, type WebStack } from './support/web-stack';
import { navigate, signIn, waitForText } from './support/web-person';

const HOUR = 3_600_000;

/** The row of the desk (or the card of the venues page) that shows one booking or venue, by its heading. */
const rowWith = (page: Page, name: string) =>
  page
    .getByRole('main')
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name, exact: true }) });

/** What the page logs as an error (a script failing, a request refused): a journey expects none unless it says. */
function consoleErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/**
 * The hall admin's desk and the super admin's venue editing, in Chromium over the whole stack: a
 * hall admin lands on the desk and reads today's bookings of their venue in start order with their
 * states, approves a request by keyboard, checks a booker in on a phone, filters, steps to the next
 * day and downloads the day as CSV; a super admin edits a venue's capacity, closes it over a booked
 * day after reading what that cancels, and archives it after being asked.
 */
describe("web app: the hall admin's desk and the venues' settings", () => {
  let stack: WebStack;

  before(async () => {
    stack = await startWebStack();
  });
  after(() => stack?.close());

  it('a hall admin lands on the desk, sees the day in start order with states, approves by keyboard, checks in on a phone, filters and downloads CSV', async () => {
    const make = given(stack.ctx);
    // A zone where the next four hours are all today, so every booking below is on the desk's first day.
    const zone = zoneWithRoom(Date.now(), Date.now() + 4 * HOUR);
    const venue = await make.venue({
      name: `Science Hall ${Math.random().toString(36).slice(2, 7)}`,
      timeZone: zone,
      checkIn: { opensBeforeMinutes: 120, closesAfterMinutes: 30 },
    });
    const admin = await make.hallAdmin(venue, { fullName: 'Dana Desk' });
    const member = await make.member({ fullName: 'Mia Member' });

    const physics = await make.booking(member, venue, {
      aheadMs: HOUR,
      durationMs: HOUR / 2,
      eventName: 'Physics seminar',
    });
    const talk = await make.booking(member, venue, {
      aheadMs: 1.5 * HOUR,
      durationMs: HOUR / 2,
      eventName: 'Cancelled talk',
    });
    const cancelled = await stack.ctx.request('POST', `/api/bookings/${talk.booking.id}/cancel`, {
      token: member.token,
      body: { reason: 'Speaker is ill' },
    });
    assert.equal(cancelled.status, 200, await cancelled.clone().text());
    const ruled = await stack.ctx.request('PATCH', `/api/venues/${venue.id}`, {
      token: admin.token,
      body: { approval: { required: true } },
    });
    assert.equal(ruled.status, 200, await ruled.clone().text());
    // Made once the venue approves bookings: a request. Its check-in window (2 h before) is not open yet.
    const chemistry = await make.booking(member, venue, {
      aheadMs: 3 * HOUR,
      durationMs: HOUR / 2,
      eventName: 'Chemistry lab',
    });
    const tomorrow = slotOnDay(1, 10, 1, zone);
    assert.notEqual(tomorrow.date, physics.slot.date);
    const unruled = await stack.ctx.request('PATCH', `/api/venues/${venue.id}`, {
      token: admin.token,
      body: { approval: { required: false } },
    });
    assert.equal(unruled.status, 200, await unruled.clone().text());
    await make.booking(member, venue, { slot: tomorrow, eventName: 'Debate club' });
    for (const made of [physics.slot, talk.slot, chemistry.slot])
      assert.equal(made.date, physics.slot.date, 'the three are on one day there');

    // Signing in lands on the desk: today's bookings, in start order, each with its state in words.
    const { page } = await stack.person(DESKTOP);
    const problems = consoleErrors(page);
    await signIn(page, admin.email, admin.password);
    await page.getByRole('heading', { level: 1, name: 'Desk' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/venue-bookings');
    const day = page.getByRole('region', { name: venue.name, exact: true });
    await waitForText(day, /3 bookings on/, "the venue's day is listed");
    assert.deepEqual(
      await day.getByRole('heading', { level: 3 }).allInnerTexts(),
      ['Physics seminar', 'Cancelled talk', 'Chemistry lab'],
      'in start order, the cancelled one too',
    );
    for (const [name, slot, state] of [
      // Booked at short notice, it needed no confirming.
      ['Physics seminar', physics.slot, 'Confirmed'],
      ['Cancelled talk', talk.slot, 'Cancelled'],
      ['Chemistry lab', chemistry.slot, 'Awaiting approval'],
    ] as const) {
      const text = await rowWith(page, name).innerText();
      assert.match(text, new RegExp(`${slot.start_time}–${slot.end_time}`), `${name}: its times`);
      assert.match(text, /Mia Member/, `${name}: its booker`);
      assert.match(text, new RegExp(`\\b${state}\\b`), `${name}: its state`);
    }
    assert.match(await rowWith(page, 'Cancelled talk').innerText(), /Reason: Speaker is ill/);
    assert.equal(
      await page.getByRole('link', { name: 'Requests inbox: 1 waiting' }).getAttribute('href'),
      '/requests',
      'the inbox count links to Requests',
    );
    await assertAccessible(page, 'the desk at 1280 px');
    await assertFitsWidth(page, 'the desk at 1280 px');

    // The request is approved with the keyboard alone, from the desk.
    await tabTo(page, rowWith(page, 'Chemistry lab').getByRole('button', { name: /^Approve: Chemistry lab, / }));
    await page.keyboard.press('Enter');
    await waitForText(
      rowWith(page, 'Chemistry lab').getByRole('status'),
      /^Approved “Chemistry lab” for Mia Member/,
      'the desk says it was approved',
    );
    await waitForText(rowWith(page, 'Chemistry lab'), /Awaiting confirmation|Confirmed/, 'its state follows');
    assert.doesNotMatch(await rowWith(page, 'Chemistry lab').innerText(), /Awaiting approval/);
    await page.getByRole('link', { name: 'Requests inbox: nothing waiting' }).waitFor();
    const [decided] = await stack.ctx.db.sql<{ approval_status: string; approval_decided_by: number }[]>`
      select approval_status, approval_decided_by from bookings where id = ${chemistry.booking.id}`;
    assert.deepEqual({ ...decided }, { approval_status: 'approved', approval_decided_by: admin.id });
    assert.equal(
      await rowWith(page, 'Chemistry lab')
        .getByRole('button', { name: /^Check in/ })
        .count(),
      0,
      'no Check in before its window opens',
    );

    // The day's bookings as CSV, the day as the range unless changed.
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const download = await downloading;
    assert.equal(
      download.suggestedFilename(),
      `venue-${venue.id}-bookings-${physics.slot.date}-to-${physics.slot.date}.csv`,
    );
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    assert.match(lines[0]!, /^id,event_name,booker_name,booker_email,date,start_time,end_time,time_zone,status/);
    assert.deepEqual(
      lines.slice(1).map((line) => line.split(',').slice(1, 3).join(',')),
      ['Physics seminar,Mia Member', 'Cancelled talk,Mia Member', 'Chemistry lab,Mia Member'],
    );
    await waitForText(page.getByRole('main'), /Downloaded venue-\d+-bookings-/, 'the desk says it downloaded');

    // The next day, by keyboard from the day's date.
    await page.getByLabel('Date', { exact: true }).focus();
    await tabTo(page, page.getByRole('button', { name: 'Next day' }));
    await page.keyboard.press('Enter');
    await waitForText(day, /1 booking on/, 'the next day is listed');
    assert.deepEqual(await day.getByRole('heading', { level: 3 }).allInnerTexts(), ['Debate club']);
    assert.equal(new URL(page.url()).searchParams.get('date'), tomorrow.date, 'the day is in the address');
    assert.deepEqual(problems, [], 'no console error on the desk');

    // On a phone: the booker arrives and is checked in at the desk.
    const { page: phone } = await stack.person(PHONE);
    const phoneProblems = consoleErrors(phone);
    await signIn(phone, admin.email, admin.password);
    await phone.getByRole('heading', { level: 1, name: 'Desk' }).waitFor();
    const physicsRow = rowWith(phone, 'Physics seminar');
    const checkIn = physicsRow.getByRole('button', { name: /^Check in: Physics seminar, / });
    await checkIn.waitFor();
    await assertAccessible(phone, 'the desk at 375 px');
    await assertFitsWidth(phone, 'the desk at 375 px');
    await checkIn.click();
    await waitForText(
      physicsRow.getByRole('status'),
      /^Checked in: Physics seminar, Mia Member\.$/,
      'the desk says so',
    );
    await waitForText(physicsRow, /Checked in at \d\d:\d\d/, 'the row shows the check-in');
    assert.equal(await checkIn.count(), 0, 'the button goes once checked in');
    const [checked] = await stack.ctx.db.sql<{ checked_in_at: Date | null }[]>`
      select checked_in_at from bookings where id = ${physics.booking.id}`;
    assert.ok(checked?.checked_in_at, 'checked in');
    assert.ok(
      (await phone.evaluate('document.activeElement !== document.body')) as boolean,
      'focus stays on the page once the button is gone',
    );

    // Filtered by state.
    await phone.getByLabel('Show', { exact: true }).selectOption({ label: 'Cancelled' });
    await eventually(
      async () =>
        (await phone.getByRole('main').getByRole('heading', { level: 3 }).allInnerTexts()).join() === 'Cancelled talk',
      'only the cancelled booking is shown',
    );
    await phone.getByLabel('Show', { exact: true }).selectOption({ label: 'Checked in' });
    await eventually(
      async () =>
        (await phone.getByRole('main').getByRole('heading', { level: 3 }).allInnerTexts()).join() === 'Physics seminar',
      'only the checked-in booking is shown',
    );
    await assertAccessible(phone, 'the desk filtered at 375 px');
    await assertFitsWidth(phone, 'the desk filtered at 375 px');
    assert.deepEqual(phoneProblems, [], 'no console error on the phone');
  });

  it("a super admin edits a venue's capacity, closes it over a booked day after reading what that cancels, and archives it", async () => {
    const make = given(stack.ctx);
    const tag = Math.random().toString(36).slice(2, 7);
    const superAdmin = await make.superAdmin();
    const member = await make.member({ fullName: 'Bo Booker' });
    const venue = await make.venue({ name: `Lecture Room ${tag}`, capacity: 40 });
    const booked = slotOnDay(10, 9, 2, venue.timeZone);
    const { booking } = await make.booking(member, venue, { slot: booked, eventName: 'Thesis defence' });

    const { page } = await stack.person(DESKTOP);
    const problems = consoleErrors(page);
    await signIn(page, superAdmin.email, superAdmin.password);
    await navigate(page, 'Venues');
    const card = rowWith(page, venue.name);
    await card.getByRole('button', { name: `Edit ${venue.name}` }).click();
    const capacity = card.getByLabel('Capacity', { exact: true });
    assert.equal(await capacity.inputValue(), '40');
    await capacity.fill('120');
    await card.getByLabel('Building').fill('North wing');
    await card.getByRole('button', { name: `Save facts of ${venue.name}` }).click();
    await waitForText(card, new RegExp(`Saved: ${venue.name}, for 120\\.`), 'the facts are saved');
    const [facts] = await stack.ctx.db.sql<{ capacity: number; building: string }[]>`
      select capacity, building from venues where id = ${venue.id}`;
    assert.deepEqual({ ...facts }, { capacity: 120, building: 'North wing' });
    await card.getByRole('heading', { name: 'Opening hours' }).waitFor();
    await assertAccessible(page, 'the venue editor at 1280 px');
    assert.deepEqual(problems, [], 'no console error while editing');

    // On a phone: a closure over the booked day lists the booking first; then it is closed and cancelled.
    const { page: phone } = await stack.person(PHONE);
    const phoneProblems = consoleErrors(phone);
    await signIn(phone, superAdmin.email, superAdmin.password, '/admin/venues');
    const phoneCard = rowWith(phone, venue.name);
    await phoneCard.getByRole('button', { name: `Edit ${venue.name}` }).click();
    await phoneCard.getByRole('heading', { name: 'Closures' }).waitFor();
    await assertAccessible(phone, 'the venue editor at 375 px');
    await assertFitsWidth(phone, 'the venue editor at 375 px');
    await phoneCard.getByLabel('First closed day', { exact: true }).fill(booked.date);
    await phoneCard.getByLabel('Why', { exact: true }).fill('Floor repairs');
    await phoneCard.getByRole('button', { name: `Close ${venue.name}` }).click();
    const preview = phoneCard.getByRole('alert').filter({ hasText: 'would cancel' });
    await waitForText(preview, /would cancel 1 booking/, 'what the closure cancels is listed first');
    assert.match(await preview.innerText(), /Thesis defence \(Bo Booker\)/);
    assert.deepEqual(
      phoneProblems.filter((p) => !/status of 409/.test(p)),
      [],
      'nothing but the 409 that lists the bookings',
    );
    const [still] = await stack.ctx.db.sql<{ status: string }[]>`select status from bookings where id = ${booking.id}`;
    assert.equal(still?.status, 'active', 'nothing is cancelled before the second step');
    await assertFitsWidth(phone, 'the closure preview at 375 px');
    await phoneCard.getByRole('button', { name: 'Close and cancel 1 booking' }).click();
    await waitForText(phoneCard, /Closed .*: Floor repairs\. 1 booking cancelled/, 'the closure is made');
    await waitForText(phoneCard, /Floor repairs/, 'and listed');
    await phoneCard.getByRole('button', { name: /^Remove closure: / }).waitFor();
    const [gone] = await stack.ctx.db.sql<{ status: string }[]>`select status from bookings where id = ${booking.id}`;
    assert.equal(gone?.status, 'cancelled', 'the booking in it is cancelled');

    // Archived after being asked, with the keyboard (from the closure just listed, a few stops on).
    await phoneCard.getByRole('button', { name: /^Remove closure: / }).focus();
    await tabTo(phone, phoneCard.getByRole('button', { name: `Archive ${venue.name}` }));
    await phone.keyboard.press('Enter');
    const asked = phone.getByRole('dialog', { name: `Archive ${venue.name}?` });
    await waitForText(asked, /Nobody can book/, 'the dialog says what archiving does');
    await assertAccessible(phone, 'the archive question at 375 px');
    await assertFitsWidth(phone, 'the archive question at 375 px');
    // "Keep it" has focus first (the safe answer); the answer that archives is one step back.
    await phone.keyboard.press('Shift+Tab');
    assert.equal(await phone.evaluate('document.activeElement && document.activeElement.textContent'), 'Archive venue');
    await phone.keyboard.press('Enter');
    await waitForText(phoneCard, /Archived .*: nobody can book it now/, 'the page says it is archived');
    await phoneCard.getByRole('button', { name: `Bring back ${venue.name}` }).waitFor();
    const [archived] = await stack.ctx.db.sql<{ archived: boolean }[]>`
      select archived_at is not null as archived from venues where id = ${venue.id}`;
    assert.equal(archived?.archived, true);
    assert.match(await phoneCard.innerText(), /Archived · /, 'the card says so');
    assert.deepEqual(
      phoneProblems.filter((p) => !/status of 409/.test(p)),
      [],
      'no console error but the 409 that listed the bookings',
    );
  });
});
