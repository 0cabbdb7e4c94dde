import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, given, localParts } from './support';
import { assertAccessible, assertFitsWidth, DESKTOP, PHONE, tabTo } from './support/browser';
import { startWebStack, type WebStack } from './support/web-stack';
import { navigate, signIn, waitForText } from './support/web-person';
import { dayOfDate } from '../web/src/format/zoned-time';

const ZONE = 'Asia/Kolkata';
const DAY = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const BYDAY = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** The name of the region (a section labelled by its heading) that holds the focus: where the next Tab goes on from. */
const FOCUSED_REGION = `document.activeElement?.closest('section[aria-labelledby]')?.querySelector('h2')?.textContent ?? document.activeElement?.tagName`;

/** The calendar date `days` after `date` (YYYY-MM-DD). */
const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/**
 * A repeating booking as a member lives it in Chromium over the whole stack (API, worker, outbox
 * relay, PostgreSQL): six weeks of rehearsals booked from the Book page with one date already
 * taken by someone else, the taken date reported with the times that hold it, and the series page,
 * where the last three dates are cancelled with "this and following" by keyboard alone.
 */
describe('web app: a repeating booking', () => {
  let stack: WebStack;

  before(async () => {
    stack = await startWebStack();
  });
  after(() => stack?.close());

  it('a member books a weekly series of 6 with one date taken: 5 booked, the taken date with what holds it; on the series page they cancel from the 4th date on by keyboard', async () => {
    const make = given(stack.ctx);
    const venue = await make.venue({ name: `Music Room ${Math.random().toString(36).slice(2, 7)}`, timeZone: ZONE });
    const [member, other] = [
      await make.member({ fullName: 'Rae Rehearsal' }),
      await make.member({ fullName: 'Quin Quartet' }),
    ];
    const first = localParts(new Date(Date.now() + 8 * DAY), ZONE).date;
    const dates = [0, 1, 2, 3, 4, 5].map((week) => plusDays(first, 7 * week));
    const weekday = WEEKDAYS[new Date(`${first}T12:00:00Z`).getUTCDay()]!;
    const taken = await make.booking(other, venue, {
      slot: { date: dates[2]!, start_time: '10:30', end_time: '11:30' },
      eventName: 'Quartet audition',
    });

    // On a phone: the booking form with its Repeat fields.
    const { page } = await stack.person(PHONE);
    await signIn(page, member.email, member.password);
    await navigate(page, 'Book a venue');
    await page.getByLabel('Venue').selectOption(String(venue.id));
    await page.getByLabel('Date').fill(first);
    await page.getByLabel('Start time').fill('10:00');
    await page.getByLabel('End time').fill('12:00');
    await page.getByLabel('Event name').fill('Orchestra rehearsal');
    const repeat = page.getByLabel('Repeat');
    assert.equal(await repeat.inputValue(), 'none', 'a booking does not repeat unless asked');
    assert.equal(
      await repeat.locator('option[value="weekly"]').innerText(),
      `Every week on ${weekday}`,
      "the weekly choice names the chosen date's weekday",
    );
    await repeat.selectOption('weekly');
    const times = page.getByRole('spinbutton', { name: 'How many times' });
    assert.equal(await times.inputValue(), '10', 'ten times unless said');
    await times.fill('6');
    assert.equal(
      await page.getByRole('radio', { name: 'Skip taken dates' }).isChecked(),
      true,
      'taken dates are skipped unless said',
    );
    await assertAccessible(page, 'the booking page with the Repeat fields');
    await assertFitsWidth(page, 'the booking page with the Repeat fields');
    await page.getByRole('button', { name: 'Book', exact: true }).click();

    await waitForText(
      page
        .getByRole('status')
        .filter({ hasText: /Booked \d+ dates/ })
        .first(),
      /Booked 5 dates of “Orchestra rehearsal”; 1 date not booked/,
      'the page says how many dates were booked',
    );
    assert.equal(
      await page.getByRole('region', { name: 'Booked', exact: true }).getByRole('listitem').count(),
      5,
      'each date booked is listed',
    );
    const notBooked = page.getByRole('region', { name: 'Not booked', exact: true }).getByRole('listitem');
    assert.equal(await notBooked.count(), 1);
    assert.match(
      await notBooked.innerText(),
      /10:00–12:00 GMT\+5:30: already booked 10:30–11:30$/,
      'the taken date says why, with the times that hold it',
    );
    const [series] = await stack.ctx.db.sql<
      { id: number; rrule: string }[]
    >`select id, rrule from booking_series where user_id = ${member.id}`;
    assert.ok(series, 'the series is stored');
    assert.match(series.rrule, /^FREQ=WEEKLY;BYDAY=[A-Z]{2};COUNT=6$/);
    const booked = await stack.ctx.db.sql<{ id: number; date: string; status: string }[]>`
      select id, to_char(occurrence_date, 'YYYY-MM-DD') as date, status from bookings where series_id = ${series.id} order by occurrence_date`;
    assert.deepEqual(
      booked.map((b) => [b.date, b.status]),
      [0, 1, 3, 4, 5].map((i) => [dates[i], 'active']),
      'five bookings, none on the taken date',
    );
    await assertAccessible(page, 'the booking page with a series booked');
    await assertFitsWidth(page, 'the booking page with a series booked');

    // The series page, from the outcome's link.
    await page.getByRole('link', { name: 'Open the series' }).click();
    await page.getByRole('heading', { level: 1, name: 'Orchestra rehearsal' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/series/${series.id}`);
    await waitForText(page.getByRole('main'), new RegExp(`Every week on ${weekday}, 6 times`), 'the rule in words');
    const rows = page.getByRole('region', { name: 'Dates' }).getByRole('listitem');
    assert.equal(await rows.count(), 6, 'every date of the rule, the taken one too');
    assert.match(await rows.nth(2).innerText(), /Not booked/);
    for (const i of [0, 1, 3, 4, 5]) {
      assert.match(
        await rows.nth(i).innerText(),
        /10:00–12:00 GMT\+5:30\s+Booked/,
        `date ${i + 1} reads booked, in the venue's zone`,
      );
      assert.equal(
        await rows.nth(i).getByRole('link').getAttribute('href'),
        `/bookings/${booked.find((b) => b.date === dates[i])!.id}`,
      );
    }
    await assertAccessible(page, 'the series page');
    await assertFitsWidth(page, 'the series page');

    // Keyboard alone: from the 4th date on.
    await tabTo(page, rows.nth(3).getByRole('button', { name: /^Cancel this and following/ }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await waitForText(dialog, /and the 2 dates after it are cancelled/, 'the dialog says what will be cancelled');
    await tabTo(page, dialog.getByLabel('Reason'));
    await page.keyboard.type('Hall closed for exams');
    await assertAccessible(page, 'the series page asking before it cancels');
    await assertFitsWidth(page, 'the cancel dialog');
    await tabTo(page, dialog.getByRole('button', { name: 'Cancel these dates' }));
    await page.keyboard.press('Enter');

    await waitForText(
      page
        .getByRole('status')
        .filter({ hasText: /Cancelled/ })
        .first(),
      /Cancelled 3 dates from .+ on\./,
      'the page says what was cancelled',
    );
    for (const i of [3, 4, 5]) await waitForText(rows.nth(i), /Cancelled/, `date ${i + 1} reads cancelled`);
    for (const i of [0, 1]) assert.match(await rows.nth(i).innerText(), /Booked/, `date ${i + 1} is still booked`);
    assert.match(await page.getByRole('main').innerText(), /State\s+Cancelled from .+ on/);
    await eventually(
      async () => (await page.evaluate(FOCUSED_REGION)) === 'Dates',
      'focus resting on the dates once the dialog closes, not lost to the top of the page',
    );
    await assertAccessible(page, 'the series page after cancelling from a date on');
    await assertFitsWidth(page, 'the series page after cancelling');

    const rowsNow = await stack.ctx.db.sql<
      { date: string; status: string; cancel_reason: string | null; cancelled_with_series: boolean }[]
    >`
      select to_char(occurrence_date, 'YYYY-MM-DD') as date, status, cancel_reason, cancelled_with_series from bookings where series_id = ${series.id} order by occurrence_date`;
    assert.deepEqual(
      [...rowsNow],
      [
        { date: dates[0], status: 'active', cancel_reason: null, cancelled_with_series: false },
        { date: dates[1], status: 'active', cancel_reason: null, cancelled_with_series: false },
        ...[3, 4, 5].map((i) => ({
          date: dates[i],
          status: 'cancelled',
          cancel_reason: 'Hall closed for exams',
          cancelled_with_series: true,
        })),
      ],
    );
    const [ended] = await stack.ctx.db.sql<
      { ends_before: string; cancelled: boolean }[]
    >`select to_char(ends_before, 'YYYY-MM-DD') as ends_before, cancelled_at is not null as cancelled from booking_series where id = ${series.id}`;
    assert.deepEqual(ended, { ends_before: dates[3], cancelled: false }, 'the series ends before the 4th date');
    const [theirs] = await stack.ctx.db.sql<
      { status: string }[]
    >`select status from bookings where id = ${taken.booking.id}`;
    assert.equal(theirs?.status, 'active', "the other member's booking is untouched");

    // The same page on a wide screen.
    const { page: desk } = await stack.person(DESKTOP);
    await signIn(desk, member.email, member.password, `/series/${series.id}`);
    await desk.getByRole('heading', { level: 1, name: 'Orchestra rehearsal' }).waitFor();
    await waitForText(desk.getByRole('region', { name: 'Dates' }), /Cancelled/, 'the dates');
    await assertAccessible(desk, 'the series page at 1280 px');

    // One date's own page leads back to its series.
    await desk.getByRole('region', { name: 'Dates' }).getByRole('listitem').first().getByRole('link').click();
    const toSeries = desk.getByRole('link', { name: 'All dates of this repeating booking' });
    await toSeries.waitFor();
    assert.equal(new URL(desk.url()).pathname, `/bookings/${booked[0]!.id}`);
    await assertAccessible(desk, 'a date of a series');
    await toSeries.click();
    await desk.getByRole('region', { name: 'Dates' }).waitFor();
    assert.equal(new URL(desk.url()).pathname, `/series/${series.id}`);
  });

  it('"book nothing if any date is taken" books nothing and names the date in the way; with the waitlist instead, the rest is booked, then confirmed all at once, one date cancelled alone and the rest cancelled all', async () => {
    const make = given(stack.ctx);
    const venue = await make.venue({ name: `Studio ${Math.random().toString(36).slice(2, 7)}`, timeZone: ZONE });
    const [member, other] = [await make.member({ fullName: 'Dee Daily' }), await make.member()];
    const first = localParts(new Date(Date.now() + 9 * DAY), ZONE).date;
    const dates = [0, 1, 2].map((day) => plusDays(first, day));
    await make.booking(other, venue, {
      slot: { date: dates[1]!, start_time: '11:00', end_time: '11:30' },
      eventName: 'Recording',
    });

    const { page } = await stack.person(DESKTOP);
    await signIn(page, member.email, member.password);
    await navigate(page, 'Book a venue');
    await page.getByLabel('Venue').selectOption(String(venue.id));
    await page.getByLabel('Date').fill(first);
    await page.getByLabel('Start time').fill('09:00');
    await page.getByLabel('End time').fill('12:00');
    await page.getByLabel('Event name').fill('Podcast');
    await page.getByLabel('Repeat').selectOption('daily');
    await page.getByRole('spinbutton', { name: 'How many times' }).fill('3');
    await page.getByRole('radio', { name: 'Book nothing if any date is taken' }).check();
    await page.getByRole('button', { name: 'Book', exact: true }).click();
    await waitForText(
      page
        .getByRole('alert')
        .filter({ hasText: /nothing was booked/ })
        .first(),
      /nothing was booked/,
      'the page says nothing was booked',
    );
    assert.match(
      await page.getByRole('region', { name: 'Not booked', exact: true }).innerText(),
      /09:00–12:00 GMT\+5:30: already booked 11:00–11:30/,
    );
    assert.equal(
      (await stack.ctx.db.sql`select 1 from booking_series where user_id = ${member.id}`).length,
      0,
      'no series stored',
    );
    await assertAccessible(page, 'the booking page with a series refused');

    await page.getByRole('radio', { name: 'Join the waitlist for taken dates' }).check();
    await page.getByRole('button', { name: 'Book', exact: true }).click();
    await waitForText(
      page
        .getByRole('status')
        .filter({ hasText: /Booked \d+ dates/ })
        .first(),
      /Booked 2 dates of “Podcast”; 1 date not booked/,
      'the page says what was booked',
    );
    const waiting = page
      .getByRole('region', { name: 'Not booked', exact: true })
      .getByRole('link', { name: 'you are on its waitlist' });
    const [entry] = await stack.ctx.db.sql<
      { id: number; status: string }[]
    >`select id, status from waitlist_entries where user_id = ${member.id}`;
    assert.equal(entry?.status, 'waiting', "the taken date's waitlist joined");
    assert.equal(await waiting.getAttribute('href'), `/waitlist/${entry.id}`);

    await page.getByRole('link', { name: 'Open the series' }).click();
    await page.getByRole('heading', { level: 1, name: 'Podcast' }).waitFor();
    await waitForText(page.getByRole('main'), /Every day, 3 times/, 'the rule in words');
    const [series] = await stack.ctx.db.sql<
      { id: number }[]
    >`select id from booking_series where user_id = ${member.id}`;
    const rows = page.getByRole('region', { name: 'Dates' }).getByRole('listitem');

    await page.getByRole('button', { name: 'Confirm all remaining' }).click();
    await waitForText(
      page
        .getByRole('status')
        .filter({ hasText: /Confirmed/ })
        .first(),
      /Confirmed 2 dates\./,
      'the page says both were confirmed',
    );
    for (const i of [0, 2]) await waitForText(rows.nth(i), /Attendance confirmed/, `date ${i + 1} reads confirmed`);
    await eventually(
      async () =>
        (await page.evaluate(
          'document.activeElement !== document.body && document.querySelector("main").contains(document.activeElement)',
        )) as boolean,
      'focus kept on the page once the button is gone',
    );
    const confirmed = await stack.ctx.db.sql<
      { confirmed: boolean }[]
    >`select confirmed from bookings where series_id = ${series!.id}`;
    assert.deepEqual(
      confirmed.map((b) => b.confirmed),
      [true, true],
    );

    await rows
      .nth(0)
      .getByRole('button', { name: /^Cancel this date/ })
      .click();
    const dialog = page.getByRole('dialog');
    await waitForText(dialog, /the other dates stay booked/, 'the dialog says only that date goes');
    await dialog.getByLabel('Reason').fill('Guest ill');
    await dialog.getByRole('button', { name: 'Cancel this date' }).click();
    await waitForText(rows.nth(0), /Cancelled/, 'the first date reads cancelled');
    await waitForText(rows.nth(2), /Attendance confirmed/, 'the last date still stands');
    const [alone] = await stack.ctx.db.sql<{ status: string; cancel_reason: string; cancelled_with_series: boolean }[]>`
      select status, cancel_reason, cancelled_with_series from bookings where series_id = ${series!.id} and occurrence_date = ${dates[0]!}::date`;
    assert.deepEqual(
      { ...alone },
      { status: 'cancelled', cancel_reason: 'Guest ill', cancelled_with_series: false },
      "that booking's own cancel",
    );

    await page.getByRole('button', { name: 'Cancel all' }).click();
    await waitForText(dialog, /The 1 date still to come is cancelled/, 'the dialog counts what is left');
    await dialog.getByRole('button', { name: 'Cancel all dates' }).click();
    await waitForText(
      page
        .getByRole('status')
        .filter({ hasText: /Cancelled/ })
        .first(),
      /Cancelled 1 date: the series is cancelled\./,
      'the page says the series is cancelled',
    );
    await waitForText(rows.nth(2), /Cancelled/, 'the last date reads cancelled');
    assert.equal(
      await page.getByRole('region', { name: 'Dates' }).getByRole('button').count(),
      0,
      'nothing is left to cancel',
    );
    assert.equal(await page.getByRole('button', { name: 'Cancel all' }).count(), 0);
    const [ended] = await stack.ctx.db.sql<
      { cancelled: boolean }[]
    >`select cancelled_at is not null as cancelled from booking_series where id = ${series!.id}`;
    assert.equal(ended?.cancelled, true);
    await assertAccessible(page, 'a cancelled series');
  });

  it('a member moves a weekly series of 5 from its 2nd date on by keyboard: the date another member holds at the new time keeps its old one, saying what holds it; then renames the whole series on a phone', async () => {
    const make = given(stack.ctx);
    const venue = await make.venue({ name: `Choir Loft ${Math.random().toString(36).slice(2, 7)}`, timeZone: ZONE });
    const [member, other] = [
      await make.member({ fullName: 'Cleo Chorister' }),
      await make.member({ fullName: 'Bo Bassoon' }),
    ];
    const first = localParts(new Date(Date.now() + 8 * DAY), ZONE).date;
    const dates = [0, 1, 2, 3, 4].map((week) => plusDays(first, 7 * week));
    const made = await stack.ctx.request('POST', '/api/booking_series', {
      token: member.token,
      body: {
        venue: venue.id,
        date: first,
        start_time: '10:00',
        end_time: '12:00',
        event_name: 'Choir practice',
        rrule: `FREQ=WEEKLY;BYDAY=${BYDAY[new Date(`${first}T12:00:00Z`).getUTCDay()]};COUNT=5`,
      },
    });
    assert.equal(made.status, 201, await made.clone().text());
    const series = (await made.json()) as { id: number; occurrences: { date: string; booking_id: number }[] };
    assert.equal(series.occurrences.length, 5);
    // Right after the series' time, so it holds nothing of it, but in the way of the new one.
    const held = await make.booking(other, venue, {
      slot: { date: dates[3]!, start_time: '12:00', end_time: '13:00' },
      eventName: 'Bassoon lesson',
    });

    // On a desktop, by keyboard alone: "Change this and following" on the 2nd date.
    const { page } = await stack.person(DESKTOP);
    await signIn(page, member.email, member.password, `/series/${series.id}`);
    await page.getByRole('heading', { level: 1, name: 'Choir practice' }).waitFor();
    const rows = page.getByRole('region', { name: 'Dates' }).getByRole('listitem');
    await waitForText(rows.nth(4), /10:00–12:00 GMT\+5:30\s+Booked/, 'the last date');
    assert.equal(await rows.count(), 5);
    await tabTo(
      page,
      rows.nth(1).getByRole('button', { name: new RegExp(`^Change this and following\\s*: ${dayOfDate(dates[1]!)}$`) }),
    );
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Change “Choir practice” from ${dayOfDate(dates[1]!)} on` });
    await waitForText(
      dialog,
      /and the 3 dates after it move to the times below; earlier dates keep theirs/,
      'the dialog says which dates move',
    );
    assert.match(await dialog.innerText(), /Times are local to Choir Loft \w+ \(Asia\/Kolkata\)/, 'the zone is named');
    const [start, end] = [dialog.getByLabel('Start time'), dialog.getByLabel('End time')];
    assert.deepEqual([await start.inputValue(), await end.inputValue()], ['10:00', '12:00'], "the series' times");
    assert.equal(await dialog.getByLabel('Event name').count(), 0, 'a name is changed for the whole series only');
    assert.equal(await dialog.getByRole('radio', { name: 'Keep that date at its old time' }).isChecked(), true);
    await tabTo(page, start);
    await start.fill('11:00');
    await page.keyboard.press('Tab');
    await end.fill('13:00');
    await assertAccessible(page, 'the series page asking for new times');
    await tabTo(page, dialog.getByRole('button', { name: 'Move these dates' }));
    await page.keyboard.press('Enter');

    await waitForText(
      page.getByRole('status').filter({ hasText: /Moved/ }).first(),
      new RegExp(
        `^Moved 3 dates to 11:00–13:00 from ${dayOfDate(dates[1]!)} on\\. ${dayOfDate(dates[3]!)} keeps its old time: the venue is already booked 12:00–13:00\\.$`,
      ),
      'the page says how many dates moved, and which date kept its time with what holds it',
    );
    for (const i of [1, 2, 4])
      await waitForText(
        rows.nth(i),
        /11:00–13:00 GMT\+5:30\s+Booked, moved from the series' time/,
        `date ${i + 1} reads moved, at its new time`,
      );
    for (const i of [0, 3])
      assert.match(await rows.nth(i).innerText(), /10:00–12:00 GMT\+5:30\s+Booked\s/, `date ${i + 1} at its old time`);
    assert.match(
      await page.getByRole('main').innerText(),
      /Time\s+10:00–12:00, Asia\/Kolkata time \(3 dates at their own time\)/,
      "the series' times, saying that some dates differ",
    );
    assert.equal(await page.getByRole('dialog').count(), 0, 'the dialog closed');
    await eventually(
      async () =>
        (await page.evaluate('document.activeElement?.classList.contains("series-summary") === true')) as boolean,
      'focus resting on the summary that says what happened',
    );
    await assertAccessible(page, 'the series page after moving from a date on');

    const local = (sql: typeof stack.ctx.db.sql, seriesId: number) => sql<
      { date: string; status: string; starts: string; ends: string; event_name: string }[]
    >`select to_char(occurrence_date, 'YYYY-MM-DD') as date, status, event_name,
        to_char(lower(during) at time zone ${ZONE}, 'HH24:MI') as starts,
        to_char(upper(during) at time zone ${ZONE}, 'HH24:MI') as ends
      from bookings where series_id = ${seriesId} order by occurrence_date`;
    const at = (i: number, starts: string, ends: string, name = 'Choir practice') => ({
      date: dates[i],
      status: 'active',
      starts,
      ends,
      event_name: name,
    });
    assert.deepEqual(
      [...(await local(stack.ctx.db.sql, series.id))],
      [
        at(0, '10:00', '12:00'),
        at(1, '11:00', '13:00'),
        at(2, '11:00', '13:00'),
        at(3, '10:00', '12:00'),
        at(4, '11:00', '13:00'),
      ],
      'the bookings in the database are where the page shows them',
    );
    const [theirs] = await stack.ctx.db.sql<
      { status: string; starts: string }[]
    >`select status, to_char(lower(during) at time zone ${ZONE}, 'HH24:MI') as starts from bookings where id = ${held.booking.id}`;
    assert.deepEqual({ ...theirs }, { status: 'active', starts: '12:00' }, "the other member's booking is untouched");

    // On a phone: "Change times" for all of it, a wrong end first, then a new name alone.
    const { page: phone } = await stack.person(PHONE);
    await signIn(phone, member.email, member.password, `/series/${series.id}`);
    await phone.getByRole('heading', { level: 1, name: 'Choir practice' }).waitFor();
    const phoneRows = phone.getByRole('region', { name: 'Dates' }).getByRole('listitem');
    await waitForText(phoneRows.nth(4), /moved from the series' time/, 'the moved dates');
    await assertFitsWidth(phone, 'the series page with dates at their own times');
    await phone.getByRole('button', { name: 'Change times' }).click();
    const all = phone.getByRole('dialog', { name: 'Change “Choir practice”' });
    await waitForText(
      all,
      /New times move the 5 dates still to come; a new name renames the whole series\. 3 of them have their own time/,
      'the dialog says what new times and a new name reach',
    );
    const name = all.getByLabel('Event name');
    assert.equal(await name.inputValue(), 'Choir practice');
    await name.fill('Choir practice (spring term)');
    await all.getByLabel('End time').fill('09:00');
    await all.getByRole('button', { name: 'Save changes' }).click();
    await waitForText(
      all.getByRole('alert'),
      /end_time.+must be after start_time/,
      'an end before the start is refused',
    );
    await assertAccessible(phone, 'the change dialog with an error');
    await assertFitsWidth(phone, 'the change dialog');
    await all.getByLabel('End time').fill('12:00');
    await all.getByRole('button', { name: 'Save changes' }).click();

    await phone.getByRole('heading', { level: 1, name: 'Choir practice (spring term)' }).waitFor();
    await waitForText(
      phone
        .getByRole('status')
        .filter({ hasText: /Renamed/ })
        .first(),
      /^Renamed to “Choir practice \(spring term\)”\.$/,
      'the page says the series was renamed',
    );
    for (const i of [1, 2, 4])
      assert.match(
        await phoneRows.nth(i).innerText(),
        /11:00–13:00 GMT\+5:30\s+Booked, moved from the series' time/,
        `date ${i + 1} keeps its own time: a new name alone moves nothing`,
      );
    await assertAccessible(phone, 'the renamed series');
    await assertFitsWidth(phone, 'the renamed series');
    const renamed = 'Choir practice (spring term)';
    assert.deepEqual(
      [...(await local(stack.ctx.db.sql, series.id))],
      [
        at(0, '10:00', '12:00', renamed),
        at(1, '11:00', '13:00', renamed),
        at(2, '11:00', '13:00', renamed),
        at(3, '10:00', '12:00', renamed),
        at(4, '11:00', '13:00', renamed),
      ],
    );
    const [stored] = await stack.ctx.db.sql<
      { event_name: string; start_time: string }[]
    >`select event_name, to_char(start_time, 'HH24:MI') as start_time from booking_series where id = ${series.id}`;
    assert.deepEqual({ ...stored }, { event_name: renamed, start_time: '10:00' });
  });
});
