import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { eventually, given, localParts, slotOnDay } from './support';
import { assertAccessible, assertFitsWidth, DESKTOP, PHONE, tabTo } from './support/browser';
import { startWebStack, type WebStack } from './support/web-stack';
import { assertNotReloaded, markPage, navigate, signIn, waitForText } from './support/web-person';

const ZONE = 'Asia/Kolkata';

/** Text to find as is inside a pattern. */
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * An instant as the page writes it in the venue's zone, "Thu 10 Dec, 14:00 GMT+5:30": the digits
 * from here, the day's and month's names left to the browser (its ICU may abbreviate otherwise).
 */
function instantPattern(at: Date): string {
  const { date, time } = localParts(at, ZONE);
  return `\\w+ ${Number(date.slice(8))} \\w+, ${time} GMT\\+5:30`;
}

/** The Requests link of the header, whose name carries the server's count: "Requests 2 waiting". */
const requestsLink = (page: Page) => page.getByRole('banner').getByRole('link', { name: /^Requests/ });

async function waitForRequestCount(page: Page, waiting: number): Promise<void> {
  const name = waiting === 0 ? 'Requests' : `Requests ${waiting} waiting`;
  await eventually(
    async () => (await page.getByRole('banner').getByRole('link', { name, exact: true }).count()) === 1,
    `the header's link named "${name}"`,
  );
}

/** The list item that shows one request or booking, found by its event's name. */
const itemWith = (page: Page, eventName: string) =>
  page
    .getByRole('main')
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: eventName, exact: true }) });

/** A booking as it stands, and its approval. */
async function rowOf(stack: WebStack, id: number) {
  const [row] = await stack.ctx.db.sql<
    {
      status: string;
      approval_status: string | null;
      approval_reason: string | null;
      approval_deadline: Date | null;
      decided_by: number | null;
    }[]
  >`select status, approval_status, approval_reason, approval_deadline, approval_decided_by as decided_by from bookings where id = ${id}`;
  assert.ok(row, `booking ${id} exists`);
  return row;
}

/**
 * A venue whose staff approve bookings, as its hall admin and a member live it in Chromium over the
 * whole stack (API, worker, outbox relay, PostgreSQL): the admin turns approval on from the
 * desk; the member's bookings wait, saying whose decision and by when; the admin's Requests count
 * and list follow them live; one is approved by keyboard on a desktop, the other
 * denied with a reason on a 375 px phone; the member's open page then reads the outcome of each.
 */
describe('web app: a venue whose staff approve bookings', () => {
  let stack: WebStack;

  before(async () => {
    stack = await startWebStack();
  });
  after(() => stack?.close());

  it('a hall admin requires approval; a member books twice and each waits; the admin approves one by keyboard and denies the other with a reason on a phone; the member reads both outcomes', async () => {
    const make = given(stack.ctx);
    const venue = await make.venue({
      name: `Main Auditorium ${Math.random().toString(36).slice(2, 7)}`,
      timeZone: ZONE,
    });
    const admin = await make.hallAdmin(venue, { fullName: 'Hana Hall' });
    const member = await make.member({ fullName: 'Milo Member' });

    // The hall admin turns approval on, on a desktop.
    const { page: desk } = await stack.person(DESKTOP);
    await signIn(desk, admin.email, admin.password);
    // A hall admin lands on their desk, not on an empty list of their own.
    await desk.getByRole('heading', { level: 1, name: 'Desk' }).waitFor();
    assert.equal(new URL(desk.url()).pathname, '/venue-bookings');
    await navigate(desk, 'Desk');
    const rule = desk.getByRole('group', { name: `Approval at ${venue.name}` });
    const requireIt = rule.getByRole('checkbox', { name: 'Require approval of each booking' });
    assert.equal(await requireIt.isChecked(), false, 'a venue asks for no approval unless told');
    await requireIt.check();
    const denyByDefault = rule.getByRole('radio', { name: 'Deny it' });
    assert.equal(await denyByDefault.isChecked(), true, 'an undecided request is denied unless said');
    await assertAccessible(desk, 'the desk with the approval rule');
    await rule.getByRole('button', { name: `Save approval rule for ${venue.name}` }).click();
    await waitForText(
      rule.getByRole('status'),
      new RegExp(`^Saved: ${venue.name}'s staff approve each booking; a request nobody decides in time is denied\\.$`),
      'the rule is saved',
    );
    const [saved] = await stack.ctx.db.sql<
      { approval_required: boolean; approval_on_timeout: string }[]
    >`select approval_required, approval_on_timeout from venues where id = ${venue.id}`;
    assert.deepEqual({ ...saved }, { approval_required: true, approval_on_timeout: 'deny' });
    await waitForRequestCount(desk, 0);

    // The member books on a phone: a request, waiting for the venue's staff.
    const { page: phone } = await stack.person(PHONE);
    await signIn(phone, member.email, member.password);
    await navigate(phone, 'Book a venue');
    await phone.getByLabel('Venue').selectOption(String(venue.id));
    await waitForText(
      phone.getByRole('main'),
      new RegExp(`${venue.name}'s staff approve each booking`),
      'the booking page says the venue approves bookings',
    );
    const first = slotOnDay(5, 10, 2, ZONE);
    await phone.getByLabel('Date').fill(first.date);
    await phone.getByLabel('Start time').fill(first.start_time);
    await phone.getByLabel('End time').fill(first.end_time);
    await phone.getByLabel('Event name').fill('Orientation day');
    await phone.getByRole('button', { name: 'Book', exact: true }).click();
    const told = await waitForText(
      phone
        .getByRole('status')
        .filter({ hasText: /Requested/ })
        .first(),
      /^Requested: Orientation day/,
      'the page says the booking is a request',
    );
    const [made] = await stack.ctx.db.sql<
      { id: number }[]
    >`select id from bookings where user_id = ${member.id} and event_name = 'Orientation day'`;
    const orientation = await rowOf(stack, made!.id);
    assert.equal(orientation.approval_status, 'pending');
    assert.equal(orientation.status, 'active', 'a request holds its slot');
    const orientationWaits = new RegExp(
      `Waiting for approval by ${literally(venue.name)}'s staff, decided by ${instantPattern(orientation.approval_deadline!)}`,
    );
    assert.match(told, orientationWaits, 'the page says whose decision it waits for, and by when');
    await assertAccessible(phone, 'the booking page with a request made');
    await assertFitsWidth(phone, 'the booking page with a request made');
    await navigate(phone, 'My bookings');
    await waitForText(itemWith(phone, 'Orientation day'), orientationWaits, "the member's bookings say it waits");
    await markPage(phone);

    // The admin's count arrives live; the Requests page lists the request, and the next one as it comes.
    await waitForRequestCount(desk, 1);
    await requestsLink(desk).click();
    await desk.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
    const orientationItem = itemWith(desk, 'Orientation day');
    const orientationText = await waitForText(orientationItem, /Decide by/, 'the request is listed');
    const day = Number(first.date.slice(8));
    for (const fact of [
      /Asked by\s+Milo Member/,
      new RegExp(`Venue\\s+${literally(venue.name)}`),
      new RegExp(`When\\s+\\w+ ${day} \\w+, 10:00–12:00 GMT\\+5:30`),
      new RegExp(`Decide by ${instantPattern(orientation.approval_deadline!)} \\(then denied automatically\\)`),
    ])
      assert.match(orientationText, fact, 'the request shows who, where, when and by when to decide');
    await markPage(desk);

    const second = slotOnDay(6, 15, 1, ZONE);
    const alumni = (await make.booking(member, venue, { slot: second, eventName: 'Alumni meet' })).booking;
    await itemWith(desk, 'Alumni meet').waitFor();
    await waitForRequestCount(desk, 2);
    await assertNotReloaded(desk);
    await waitForText(itemWith(phone, 'Alumni meet'), /Waiting for approval by/, "the member's list shows it too");
    await assertAccessible(desk, 'the Requests page with two requests');

    // Approved with the keyboard alone.
    await tabTo(desk, orientationItem.getByRole('button', { name: 'Approve: Orientation day, Milo Member' }));
    await desk.keyboard.press('Enter');
    await waitForText(
      desk
        .getByRole('status')
        .filter({ hasText: /Approved/ })
        .first(),
      /^Approved “Orientation day” for Milo Member/,
      'the page says it was approved',
    );
    await eventually(async () => (await orientationItem.count()) === 0, 'the approved request leaves the list');
    await waitForRequestCount(desk, 1);
    await eventually(
      async () =>
        (await desk.evaluate(
          'document.activeElement !== document.body && document.querySelector("main").contains(document.activeElement)',
        )) as boolean,
      'focus kept on the page once the request and its buttons are gone',
    );
    const approved = await rowOf(stack, made!.id);
    assert.deepEqual(
      [approved.approval_status, approved.status, approved.decided_by],
      ['approved', 'active', admin.id],
      'approved by the admin, and still booked',
    );

    // Denied with a reason, on a phone.
    const { page: adminPhone } = await stack.person(PHONE);
    await signIn(adminPhone, admin.email, admin.password, '/requests');
    await adminPhone.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
    const alumniItem = itemWith(adminPhone, 'Alumni meet');
    await waitForText(alumniItem, /\(then denied automatically\)/, 'the remaining request, with its deadline');
    assert.equal(await adminPhone.getByRole('main').getByRole('listitem').count(), 1, 'only the undecided request');
    await assertAccessible(adminPhone, 'the Requests page on a phone');
    await assertFitsWidth(adminPhone, 'the Requests page');
    await tabTo(adminPhone, alumniItem.getByRole('button', { name: 'Deny: Alumni meet, Milo Member' }));
    await adminPhone.keyboard.press('Enter');
    const dialog = adminPhone.getByRole('dialog', { name: 'Deny “Alumni meet”?' });
    await waitForText(dialog, /Milo Member is told it was not approved/, 'the dialog says what a denial does');
    await tabTo(adminPhone, dialog.getByRole('textbox', { name: 'Reason' }));
    await adminPhone.keyboard.type('The hall is closed for repairs that week');
    await assertAccessible(adminPhone, 'the Requests page asking before it denies');
    await assertFitsWidth(adminPhone, 'the deny dialog');
    await tabTo(adminPhone, dialog.getByRole('button', { name: 'Deny request' }));
    await adminPhone.keyboard.press('Enter');
    await waitForText(
      adminPhone
        .getByRole('status')
        .filter({ hasText: /Denied/ })
        .first(),
      /^Denied “Alumni meet” for Milo Member: they are told why/,
      'the page says it was denied',
    );
    await waitForText(adminPhone.getByRole('main'), /No requests waiting\./, 'nothing is left to decide');
    assert.equal(await dialog.count(), 0, 'the dialog is closed');
    await assertAccessible(adminPhone, 'the Requests page with nothing waiting');
    await assertFitsWidth(adminPhone, 'the empty Requests page');
    const denied = await rowOf(stack, alumni.id);
    assert.deepEqual(
      [denied.approval_status, denied.status, denied.approval_reason, denied.decided_by],
      ['denied', 'cancelled', 'The hall is closed for repairs that week', admin.id],
      'denied by the admin, with the reason, and its slot freed',
    );

    // The member's open page reads both outcomes, without a reload.
    await waitForText(
      itemWith(phone, 'Alumni meet'),
      /Not approved: The hall is closed for repairs that week/,
      'the denied request says why',
    );
    await waitForText(
      itemWith(phone, 'Orientation day'),
      new RegExp(`Approved by ${venue.name}'s staff`),
      'the approved one says so',
    );
    assert.doesNotMatch(await itemWith(phone, 'Orientation day').innerText(), /Waiting for approval/);
    await assertNotReloaded(phone);
    await assertAccessible(phone, "the member's bookings with both outcomes");
    await assertFitsWidth(phone, "the member's bookings with both outcomes");
  });

  it('a member asks for a weekly booking of 3 dates: the hall admin sees one request, denies its second date alone with a reason on a phone, then approves the other 2 at once', async () => {
    const make = given(stack.ctx);
    const venue = await make.venue({ name: `Sol Hall ${Math.random().toString(36).slice(2, 7)}`, timeZone: ZONE });
    const admin = await make.hallAdmin(venue, { fullName: 'Hugo Hall' });
    const member = await make.member({ fullName: 'Sol Series' });
    const ruled = await stack.ctx.request('PATCH', `/api/venues/${venue.id}`, {
      token: admin.token,
      body: { approval: { required: true } },
    });
    assert.equal(ruled.status, 200, await ruled.clone().text());

    const first = slotOnDay(5, 9, 2, ZONE);
    const asked = await stack.ctx.request('POST', '/api/booking_series', {
      token: member.token,
      body: { venue: venue.id, ...first, event_name: 'Choir practice', rrule: 'FREQ=WEEKLY;COUNT=3' },
    });
    assert.equal(asked.status, 201, await asked.clone().text());
    const series = (await asked.json()) as { id: number; occurrences: { date: string; booking_id: number }[] };
    assert.equal(series.occurrences.length, 3, 'three weekly dates, none in the way');
    const [one, two, three] = series.occurrences.sort((a, b) => a.date.localeCompare(b.date));
    const deadline = (await rowOf(stack, one!.booking_id)).approval_deadline!;
    /** "Tue 12 May", as the page names a date (the day's and month's names left to the browser). */
    const dayName = (date: string) => `\\w+ ${Number(date.slice(8))} \\w+`;

    // One item for the whole request, on a phone: who, where, each date at its time, one deadline.
    const { page } = await stack.person(PHONE);
    await signIn(page, admin.email, admin.password, '/requests');
    await page.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
    const item = itemWith(page, 'Choir practice');
    const shown = await waitForText(item, /Decide by/, 'the repeating request is listed');
    assert.equal(
      await page.getByRole('main').getByRole('heading', { level: 3 }).count(),
      1,
      'one item, not one per date',
    );
    for (const fact of [
      /Asked by\s+Sol Series/,
      new RegExp(`Venue\\s+${literally(venue.name)}`),
      /\b3 dates\b/,
      ...[one!, two!, three!].map(({ date }) => new RegExp(`${dayName(date)}, 09:00–11:00 GMT\\+5:30`)),
      new RegExp(`Decide by ${instantPattern(deadline)} \\(then denied automatically\\), for all 3 dates at once\\.`),
    ])
      assert.match(shown, fact, 'the request shows who, where, each date and by when to decide');
    const dates = item.getByRole('list', { name: '3 dates' }).getByRole('listitem');
    assert.equal(await dates.count(), 3, 'its three dates, listed');
    assert.equal(
      await item.getByRole('button', { name: 'Approve all 3 dates: Choir practice, Sol Series', exact: true }).count(),
      1,
    );
    await assertAccessible(page, 'the Requests page with a repeating request');
    await assertFitsWidth(page, 'the Requests page with a repeating request');

    // The second date alone is denied, with a reason, by keyboard.
    await tabTo(page, item.getByRole('button', { name: new RegExp(`^Deny this date on ${dayName(two!.date)}$`) }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', {
      name: new RegExp(`^Deny “Choir practice” on ${dayName(two!.date)}\\?$`),
    });
    await waitForText(
      dialog,
      /Sol Series is told this date was not approved/,
      'the dialog says what denying a date does',
    );
    await tabTo(page, dialog.getByRole('textbox', { name: 'Reason' }));
    await page.keyboard.type('The hall hosts exams that day');
    await assertAccessible(page, 'the Requests page asking before it denies a date');
    await assertFitsWidth(page, 'the dialog denying a date');
    await tabTo(page, dialog.getByRole('button', { name: 'Deny this date' }));
    await page.keyboard.press('Enter');
    await waitForText(
      page
        .getByRole('status')
        .filter({ hasText: /Denied/ })
        .first(),
      new RegExp(`^Denied “Choir practice” on ${dayName(two!.date)} for Sol Series: they are told why`),
      'the page says the date was denied',
    );
    const approveTwo = item.getByRole('button', {
      name: 'Approve all 2 dates: Choir practice, Sol Series',
      exact: true,
    });
    await approveTwo.waitFor();
    const left = await waitForText(item, /\b2 dates\b/, 'the request keeps its two other dates');
    assert.doesNotMatch(left, new RegExp(`${dayName(two!.date)}, 09:00`), 'the denied date is gone from it');
    assert.equal(await dialog.count(), 0, 'the dialog is closed');

    // The rest approved at once.
    await tabTo(page, approveTwo);
    await page.keyboard.press('Enter');
    await waitForText(
      page
        .getByRole('status')
        .filter({ hasText: /Approved/ })
        .first(),
      /^Approved 2 dates of “Choir practice” for Sol Series: they are told, and the dates are booked\.$/,
      'the page says both dates were approved',
    );
    await eventually(async () => (await item.count()) === 0, 'the decided request leaves the list');
    await waitForText(page.getByRole('main'), /No requests waiting\./, 'nothing is left to decide');
    await assertAccessible(page, 'the Requests page once the repeating request is decided');
    await assertFitsWidth(page, 'the Requests page once the repeating request is decided');

    const decided = await Promise.all([one!, two!, three!].map(({ booking_id }) => rowOf(stack, booking_id)));
    assert.deepEqual(
      decided.map((row) => [row.approval_status, row.status, row.decided_by]),
      [
        ['approved', 'active', admin.id],
        ['denied', 'cancelled', admin.id],
        ['approved', 'active', admin.id],
      ],
      'the first and third dates approved, the second denied, each by the admin',
    );
    assert.equal(decided[1]!.approval_reason, 'The hall hosts exams that day', 'the denied date keeps its reason');
  });
});
