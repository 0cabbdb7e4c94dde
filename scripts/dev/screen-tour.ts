// The screen tour: a small campus furnished through the API (and through the lifecycle's own steps
// where only time could get there), and every page and state of the web app as its person sees it.
// `npm run screenshots` photographs each stop at 1280 and 375 px; test/web-every-state.test.ts runs
// axe, the width check and the console on each, so every state a picture shows is also checked.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AUTO_CANCEL_REASON, NO_SHOW_REASON } from '../../activities/bookings';
import { DEFAULT_PASSWORD_HASH_COST, hashPassword } from '../../src/auth/passwords';
import { autoCancelUnconfirmed, releaseNoShow } from '../../src/bookings/lifecycle';
import type { Sql } from '../../src/db/sql';
import { call } from './harness/fixtures';
import { eventually } from './harness/eventually';

export const TOUR_PASSWORD = 'screenshot-password-1234';
export const TOUR_ZONE = 'Asia/Kolkata';
/** What the tour's stack must be started with: the first super admin's address, webhooks to this machine. */
export const TOUR_ENV = { BOOKIT_ADMIN_EMAIL: 'admin@campus.example', WEBHOOK_ALLOW_PRIVATE: 'true' };
const PASSWORD = TOUR_PASSWORD;
const ZONE = TOUR_ZONE;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;
const BOUNCE = '550 5.1.1 <leo@campus.example>: Recipient address rejected: User unknown in virtual mailbox table';

interface Person {
  id: number;
  email: string;
  token: string;
}

/** One stop: whose browser, which path, and what to wait for (or do) before it is looked at. */
export interface Shot {
  name: string;
  who: Person;
  path: string;
  ready?: (page: Page) => Promise<void>;
  /**
   * HTTP refusals the stop is about (a clash's 409, a not-found page's 404): the browser logs each
   * answer of 400 and above as a console error, and for these the answer is the state shown.
   */
  answers?: number[];
}

/** Where the tour runs: one API's address and the database it writes. */
export interface TourStack {
  api: string;
  sql: Sql;
}

/**
 * A webhook receiver on this machine: /events answers 200, /crm answers 503 (its deliveries stay
 * pending, retried), /old answers 410 Gone (its endpoint turns itself off).
 */
export async function startReceiver(): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const status = request.url?.startsWith('/crm') ? 503 : request.url?.startsWith('/old') ? 410 : 200;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

export async function furnishTour(stack: TourStack, receiver: http.Server): Promise<Shot[]> {
  const api = stack.api;
  const hash = await hashPassword(PASSWORD, DEFAULT_PASSWORD_HASH_COST);
  const person = async (fullName: string, role: string, mustChange = false): Promise<Person> => {
    const email = `${fullName.split(' ')[0]!.toLowerCase()}@campus.example`;
    const [row] = await stack.sql<{ id: number }[]>`
      insert into users (email, full_name, role, password_hash, must_change_password) values (${email}, ${fullName}, ${role}, ${hash}, ${mustChange}) returning id`;
    const login = await call<{ access: string }>(api, 'POST', '/api/auth/login', {
      body: { email, password: PASSWORD },
    });
    return { id: row!.id, email, token: login.body.access };
  };
  const admin = await person('Ada Lovelace', 'super_admin');
  const hallAdmin = await person('Grace Hopper', 'hall_admin');
  const member = await person('Maya Patel', 'member');
  const other = await person('Omar Haddad', 'member');
  const newcomer = await person('Nia Okafor', 'member', true);
  const bounced = await person('Leo Bianchi', 'member');
  // Two people created the way a super admin does, who never signed in: one welcome sent again per width.
  const neverSignedIn = ['Kofi Mensah', 'Zara Ahmed'];
  for (const fullName of neverSignedIn)
    await call(api, 'POST', '/api/users', {
      token: admin.token,
      body: { email: `${fullName.split(' ')[0]!.toLowerCase()}@campus.example`, full_name: fullName, role: 'member' },
    });
  let welcomesResent = 0;

  // Webhook endpoints first, so the bookings below reach them: one that takes everything, one that
  // answers 503 (pending, retried), one gone for good (410: it turns itself off).
  const port = (receiver.address() as AddressInfo).port;
  const endpoint = async (route: string, description: string, eventTypes: string[]) =>
    (
      await call<{ id: number }>(api, 'POST', '/api/webhooks', {
        token: admin.token,
        body: { url: `http://localhost:${port}${route}`, description, event_types: eventTypes },
      })
    ).body.id;
  const eventsBoard = await endpoint('/events/bookit', 'Campus events board', [
    'booking.created',
    'booking.cancelled',
    'booking.reminder',
    'booking.auto_cancelled',
    'booking.no_show',
    'waitlist.offer',
  ]);
  const crm = await endpoint(
    '/crm/integrations/bookit/webhooks/v2/receive-notices-for-facilities-team',
    'Facilities CRM',
    ['booking.created', 'booking.cancelled'],
  );
  const old = await endpoint('/old/hook', 'Old signage feed', ['booking.created']);

  // Leo's address bounced before he booked: every email to him is held back, his reminder asked nobody.
  await stack.sql`
    insert into email_log (idempotency_key, template, recipient, subject, status, attempts, last_error, sent_via, created_at, updated_at)
    values ('screenshots:welcome:leo', 'welcome', ${bounced.email}, 'Welcome to BookIT', 'bounced', 1, ${BOUNCE}, 'primary', now() - interval '2 days', now() - interval '2 days')`;
  await stack.sql`
    insert into email_suppressions (address, reason, bounced_at, first_key) values (${bounced.email}, ${BOUNCE}, now() - interval '2 days', 'screenshots:welcome:leo')`;

  const venue = async (name: string, location: string, capacity: number) =>
    (
      await call<{ id: number }>(api, 'POST', '/api/venues', {
        token: admin.token,
        body: { name, location, capacity, time_zone: ZONE },
      })
    ).body.id;
  const auditorium = await venue('Main Auditorium', 'Block A, ground floor', 400);
  const lab = await venue('Robotics Lab', 'Block C, 2nd floor', 30);
  const seminar = await venue('Seminar Hall 2', 'Library annex', 80);
  await call(api, 'POST', `/api/venues/${auditorium}/assign_admin`, {
    token: admin.token,
    body: { user_id: hallAdmin.id },
  });
  await call(api, 'PATCH', `/api/venues/${lab}`, {
    token: admin.token,
    body: { check_in: { required: true, opens_before_minutes: 15, closes_after_minutes: 15 } },
  });

  const local = (at: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', {
        timeZone: ZONE,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
        .formatToParts(new Date(at))
        .map((p) => [p.type, p.value]),
    );
    return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
  };
  const dayAt = (days: number, hour: number, hours: number) => {
    const { date } = local(Date.now() + days * DAY);
    const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
    return { date, start_time: hh(hour), end_time: hh(hour + hours) };
  };
  /** A slot from `startsAt` (or later, so it ends before the venue's midnight) `hours` long. */
  const slotAt = (startsAt: number, hours: number) => {
    let from = startsAt;
    while (local(from).date !== local(from + hours * HOUR).date) from += HOUR;
    const start = local(from);
    return { date: start.date, start_time: start.time, end_time: local(from + hours * HOUR).time };
  };
  const book = async (
    who: Person,
    venueId: number,
    slot: { date: string; start_time: string; end_time: string },
    eventName: string,
  ) =>
    (
      await call<{ id: number }>(api, 'POST', '/api/bookings', {
        token: who.token,
        body: { venue: venueId, ...slot, event_name: eventName, event_details: 'Projector and microphones, please.' },
      })
    ).body.id;
  /**
   * A booking as the lifecycle would have left it at a time this script cannot wait for (reminded
   * an hour late, begun): written as its row, without a workflow, since nothing more happens to it here.
   */
  const bookingRow = async (
    who: Person,
    venueId: number,
    startsAt: number,
    hours: number,
    eventName: string,
    remindedAt: number | null,
    confirmDeadline: number | null,
  ) => {
    const [row] = await stack.sql<{ id: number }[]>`
      insert into bookings (venue_id, user_id, event_name, event_details, during, reminder_sent, reminder_sent_at, confirm_deadline, created_at)
      values (${venueId}, ${who.id}, ${eventName}, 'Projector and microphones, please.', tstzrange(${new Date(startsAt)}, ${new Date(startsAt + hours * HOUR)}, '[)'),
        ${remindedAt !== null}, ${remindedAt === null ? null : new Date(remindedAt)}, ${confirmDeadline === null ? null : new Date(confirmDeadline)}, now() - interval '3 days')
      returning id`;
    return row!.id;
  };
  const hourFrom = (ms: number) => Math.ceil(ms / HOUR) * HOUR;

  // Soon: inside the reminder lead, so it asks to be confirmed.
  const soonStart = hourFrom(Date.now() + 6 * HOUR);
  const remindedId = await book(member, lab, slotAt(soonStart, 1), 'Drone workshop');
  const confirmedId = await book(member, auditorium, dayAt(3, 10, 2), 'Annual design review');
  await call(api, 'POST', `/api/bookings/${confirmedId}/confirm`, { token: member.token });
  const cancelledId = await book(member, lab, dayAt(4, 15, 1), 'Soldering basics');
  await call(api, 'POST', `/api/bookings/${cancelledId}/cancel`, {
    token: member.token,
    body: { reason: 'Instructor is away' },
  });
  const bookedId = await book(member, seminar, dayAt(5, 11, 2), 'Robot arm demo');
  await book(other, auditorium, dayAt(3, 14, 2), 'Guest lecture');
  // Leo's reminder goes out at once and is held back for his bounced address.
  const bouncedReminderId = await book(
    bounced,
    seminar,
    slotAt(hourFrom(Date.now() + 5 * HOUR), 2),
    'Chess club finals',
  );

  // Reminded too late to be cancelled (the stack was down over its reminder time): its deadline is its start.
  const lateStart = hourFrom(Date.now() + 90 * 60_000);
  const remindedLateId = await bookingRow(
    member,
    auditorium,
    lateStart,
    1,
    'Alumni meet-up',
    Date.now() - 20 * MINUTE,
    lateStart,
  );
  // Reminded, never confirmed, cancelled at its deadline (its start minus 2 h) by the lifecycle's own step.
  const silentStart = hourFrom(Date.now() + HOUR);
  const autoCancelledId = await bookingRow(
    member,
    seminar,
    silentStart,
    1,
    'Poster printing session',
    silentStart - DAY,
    silentStart - 2 * HOUR,
  );
  await autoCancelUnconfirmed(stack.sql, autoCancelledId, 1, new Date(silentStart - 2 * HOUR), AUTO_CANCEL_REASON);

  // An offer: Omar holds a slot Maya waits for, then lets it go.
  const wanted = dayAt(6, 9, 2);
  const heldId = await book(other, auditorium, wanted, 'Hackathon kickoff');
  await call(api, 'POST', '/api/waitlist/check_and_join', {
    token: member.token,
    body: { venue: auditorium, ...wanted },
  });
  await call(api, 'POST', `/api/bookings/${heldId}/cancel`, { token: other.token, body: { reason: 'Moved online' } });

  // The rest of a slot: Omar's lab booking began half an hour ago and nobody checked in; Maya waited
  // for that slot, and the no-show's release (the lifecycle's own step) offers her what is left of it.
  const begunStart = Math.floor((Date.now() - 20 * MINUTE) / (30 * MINUTE)) * 30 * MINUTE;
  const noShowId = await bookingRow(
    other,
    lab,
    begunStart,
    2,
    'Late-night build',
    begunStart - DAY,
    begunStart - 2 * HOUR,
  );
  await stack.sql`update bookings set confirmed = true, confirmed_at = ${new Date(begunStart - 20 * HOUR)}, confirmed_by = ${other.id} where id = ${noShowId}`;
  await stack.sql`
    insert into waitlist_entries (venue_id, user_id, during, priority, created_at)
    values (${lab}, ${member.id}, tstzrange(${new Date(begunStart)}, ${new Date(begunStart + 2 * HOUR)}, '[)'), 1, now() - interval '2 days')`;
  if (!(await releaseNoShow(stack.sql, noShowId, 1, new Date(), NO_SHOW_REASON)))
    throw new Error('the no-show was not released');

  await eventually(
    async () => {
      const rows = await stack.sql<
        { partial: boolean }[]
      >`select offered_during is not null as partial from waitlist_entries where user_id = ${member.id} and status = 'offered'`;
      return rows.length === 2 && rows.some((row) => row.partial);
    },
    'the two waitlist offers (a whole slot, the rest of a begun one)',
    60_000,
  );
  await eventually(
    async () => {
      const [row] = await stack.sql<
        { reminder_sent: boolean }[]
      >`select reminder_sent from bookings where id = ${remindedId}`;
      return row?.reminder_sent;
    },
    'the reminder',
    60_000,
  );
  await eventually(
    async () => {
      const [row] = await stack.sql<
        { at: Date | null }[]
      >`select reminder_email_bounced_at as at from bookings where id = ${bouncedReminderId}`;
      return row?.at;
    },
    'the reminder held back for a bounced address',
    60_000,
  );
  await call(api, 'POST', '/api/notifications/broadcast', {
    token: admin.token,
    body: { title: 'Library closed on Friday', message: 'The library annex is closed for maintenance this Friday.' },
  });
  await eventually(
    async () => {
      const [row] = await stack.sql<{ delivered: number; retried: number; gone: boolean }[]>`
      select (select count(*)::int from webhook_deliveries where endpoint_id = ${eventsBoard} and status = 'delivered') as delivered,
        (select count(*)::int from webhook_deliveries where endpoint_id = ${crm} and attempts > 0) as retried,
        (select not active from webhook_endpoints where id = ${old}) as gone`;
      return row && row.delivered >= 5 && row.retried >= 2 && row.gone;
    },
    'the webhook deliveries',
    60_000,
  );

  // A venue whose staff (Hedy) approve bookings, with two requests waiting; a weekly series in the
  // reading room. Venues of their own, so the other pages' lists stay as they were.
  const approver = await person('Hedy Lamarr', 'hall_admin');
  const concertHall = await venue('Concert Hall', 'Block B, first floor', 250);
  await call(api, 'POST', `/api/venues/${concertHall}/assign_admin`, {
    token: admin.token,
    body: { user_id: approver.id },
  });
  await call(api, 'PATCH', `/api/venues/${concertHall}`, {
    token: approver.token,
    body: { approval: { required: true, on_timeout: 'deny' } },
  });
  await book(member, concertHall, dayAt(4, 18, 3), 'Spring concert');
  await book(other, concertHall, dayAt(5, 10, 2), 'Alumni meet');
  // A repeating request there too, decided as a whole.
  await call(api, 'POST', '/api/booking_series', {
    token: other.token,
    body: { venue: concertHall, ...dayAt(6, 14, 2), event_name: 'Orchestra rehearsals', rrule: 'FREQ=WEEKLY;COUNT=4' },
  });
  const readingRoom = await venue('Reading Room', 'Library, 3rd floor', 20);
  const series = await call<{ id: number }>(api, 'POST', '/api/booking_series', {
    token: member.token,
    body: { venue: readingRoom, ...dayAt(3, 16, 1), event_name: 'Reading group', rrule: 'FREQ=WEEKLY;COUNT=6' },
  });
  // Facts the room finder filters on.
  for (const [id, amenities] of [
    [concertHall, ['PA system', 'Projector', 'Step-free access']],
    [readingRoom, ['Whiteboard', 'Step-free access']],
  ] as const)
    await call(api, 'PATCH', `/api/venues/${id}`, { token: admin.token, body: { amenities } });
  const findDay = dayAt(4, 9, 9);

  const heading = (name: string) => async (page: Page) => {
    await page.getByRole('heading', { level: 1, name }).waitFor();
  };
  const bookingShot = (name: string, who: Person, id: number, eventName: string, state: RegExp): Shot => ({
    name,
    who,
    path: `/bookings/${id}`,
    ready: async (page) => {
      await page.getByRole('heading', { level: 1, name: eventName }).waitFor();
      await page.getByText(state).first().waitFor();
    },
  });
  return [
    { name: 'sign-in', who: { id: 0, email: '', token: '' }, path: '/sign-in', ready: heading('Sign in') },
    { name: 'change-password', who: newcomer, path: '/change-password', ready: heading('Choose a new password') },
    {
      name: 'my-bookings',
      who: member,
      path: '/bookings',
      ready: async (page) => {
        await page.getByText('Drone workshop').first().waitFor();
      },
    },
    bookingShot(
      'booking',
      member,
      remindedId,
      'Drone workshop',
      /^Booked, reminder sent — confirm you still need it by/,
    ),
    bookingShot('booking-booked', member, bookedId, 'Robot arm demo', /^Booked — confirm you still need it by/),
    bookingShot('booking-reminded-late', member, remindedLateId, 'Alumni meet-up', /reminded too late/),
    bookingShot(
      'booking-reminder-bounced',
      bounced,
      bouncedReminderId,
      'Chess club finals',
      /your reminder email bounced/,
    ),
    bookingShot('booking-confirmed', member, confirmedId, 'Annual design review', /^Attendance confirmed/),
    bookingShot('booking-cancelled', member, cancelledId, 'Soldering basics', /^Cancelled by you/),
    bookingShot(
      'booking-auto-cancelled',
      member,
      autoCancelledId,
      'Poster printing session',
      /^Cancelled automatically/,
    ),
    bookingShot('booking-no-show', other, noShowId, 'Late-night build', /^Released as a no-show/),
    {
      name: 'email-bounced',
      who: bounced,
      path: '/bookings',
      ready: async (page) => {
        await page.getByText('Emails to you bounce').waitFor();
        await page.getByText('Chess club finals').first().waitFor();
      },
    },
    {
      name: 'book-a-venue',
      who: member,
      path: `/venues/${auditorium}`,
      ready: async (page) => {
        await page.getByRole('heading', { level: 1, name: 'Book a venue' }).waitFor();
        await page.getByLabel('Date').fill(dayAt(3, 0, 1).date);
        await page.getByText('Annual design review').first().waitFor();
      },
    },
    {
      name: 'grid-week',
      who: member,
      path: `/book?view=week&venue=${auditorium}&date=${dayAt(1, 0, 1).date}`,
      ready: async (page) => {
        await page.getByRole('gridcell', { name: /Yours: Annual design review/ }).waitFor();
      },
    },
    {
      name: 'book-clash',
      who: member,
      answers: [409],
      path: `/book?venue=${auditorium}&date=${dayAt(3, 0, 1).date}`,
      ready: async (page) => {
        await page.getByRole('gridcell', { name: /Yours: Annual design review/ }).waitFor();
        await page.getByLabel('Start time').fill('11:00');
        await page.getByLabel('End time').fill('12:00');
        await page.getByLabel('Event name').fill('Press briefing');
        await page.getByRole('button', { name: 'Book', exact: true }).click();
        await page.getByText('Free nearby, as long:').waitFor();
      },
    },
    {
      name: 'cancel-dialog',
      who: member,
      path: `/bookings/${confirmedId}`,
      ready: async (page) => {
        await page
          .getByRole('button', { name: /^Cancel booking/ })
          .first()
          .click();
        await page.getByRole('dialog').getByLabel('Reason').waitFor();
      },
    },
    {
      name: 'waitlist-offer',
      who: member,
      path: '/waitlist',
      ready: async (page) => {
        await page.getByText(/On offer: the rest of the slot/).waitFor();
        await page.getByRole('timer').nth(1).waitFor();
      },
    },
    {
      name: 'notifications',
      who: member,
      path: '/notifications',
      ready: async (page) => {
        await page.getByText('Library closed on Friday').first().waitFor();
      },
    },
    {
      name: 'bell',
      who: member,
      path: '/bookings',
      ready: async (page) => {
        await page.getByRole('button', { name: /^Notifications, [1-9]\d* unread$/ }).click();
        await page.getByText('Library closed on Friday').first().waitFor();
      },
    },
    {
      // The desk on the day of the auditorium's bookings: one confirmed, one awaiting confirmation.
      name: 'desk',
      who: hallAdmin,
      path: `/venue-bookings?date=${dayAt(3, 10, 2).date}`,
      ready: async (page) => {
        await page.getByText('Annual design review').first().waitFor();
        await page.getByText('Guest lecture').first().waitFor();
      },
    },
    {
      // The concert hall's staff on the day of a request: Approve and Deny on the desk.
      name: 'desk-request',
      who: approver,
      path: `/venue-bookings?date=${dayAt(4, 18, 3).date}`,
      ready: async (page) => {
        await page.getByRole('button', { name: /^Approve: Spring concert/ }).waitFor();
      },
    },
    {
      name: 'desk-needs-action',
      who: approver,
      path: `/venue-bookings?date=${dayAt(5, 10, 2).date}&state=needs_action`,
      ready: async (page) => {
        await page.getByText('Alumni meet').first().waitFor();
      },
    },
    {
      name: 'admin-users',
      who: admin,
      path: '/admin/users',
      ready: async (page) => {
        await page.getByText('Maya Patel').first().waitFor();
        await page.getByText('Leo Bianchi').first().waitFor();
      },
    },
    {
      name: 'admin-users-search',
      who: admin,
      path: '/admin/users?q=campus&role=member&status=active',
      ready: async (page) => {
        await page.getByText('Maya Patel').first().waitFor();
      },
    },
    {
      name: 'admin-users-resend-welcome',
      who: admin,
      path: '/admin/users?status=never_signed_in',
      ready: async (page) => {
        const fullName = neverSignedIn[welcomesResent++ % neverSignedIn.length]!;
        await page.getByRole('button', { name: `Resend welcome to ${fullName}` }).click();
        await page.getByText(`A new welcome email is on its way to ${fullName}`).waitFor();
      },
    },
    {
      name: 'admin-venues',
      who: admin,
      path: '/admin/venues',
      ready: async (page) => {
        await page.getByText('Robotics Lab').first().waitFor();
      },
    },
    {
      name: 'admin-venue-edit',
      who: admin,
      path: '/admin/venues',
      ready: async (page) => {
        await page.getByRole('button', { name: 'Edit Robotics Lab' }).click();
        await page.getByRole('heading', { name: 'Opening hours' }).waitFor();
      },
    },
    {
      name: 'admin-email-log-bounced',
      who: admin,
      path: '/admin/emails?status=bounced',
      ready: async (page) => {
        await page.getByText('leo@campus.example').first().waitFor();
      },
    },
    { name: 'admin-announce', who: admin, path: '/admin/broadcast', ready: heading('Announce') },
    {
      name: 'admin-email-log',
      who: admin,
      path: '/admin/emails',
      ready: async (page) => {
        await page.getByText('maya@campus.example').first().waitFor();
        await page.getByText('bounced', { exact: true }).first().waitFor();
      },
    },
    {
      name: 'admin-webhooks',
      who: admin,
      path: '/admin/webhooks',
      ready: async (page) => {
        await page.getByRole('button', { name: 'Recent deliveries: Campus events board' }).click();
        await page
          .getByRole('region', { name: 'Recent deliveries to Campus events board' })
          .getByText('delivered')
          .first()
          .waitFor();
        await page.getByRole('button', { name: 'Recent deliveries: Facilities CRM' }).click();
        await page
          .getByRole('region', { name: 'Recent deliveries to Facilities CRM' })
          .getByText('pending')
          .first()
          .waitFor();
      },
    },
    {
      // The secret shown once: a new one for the events board (adding an endpoint here would add one per width).
      name: 'admin-webhooks-secret',
      who: admin,
      path: '/admin/webhooks',
      ready: async (page) => {
        await page.getByRole('button', { name: 'Rotate secret: Campus events board' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Make a new secret' }).click();
        await page.getByRole('heading', { name: 'New signing secret' }).waitFor();
      },
    },
    {
      name: 'requests',
      who: approver,
      path: '/requests',
      ready: async (page) => {
        await page.getByText('Spring concert').first().waitFor();
      },
    },
    {
      name: 'series',
      who: member,
      path: `/series/${series.body.id}`,
      ready: async (page) => {
        await page.getByText('Reading group').first().waitFor();
      },
    },
    {
      name: 'series-change',
      who: member,
      path: `/series/${series.body.id}`,
      ready: async (page) => {
        await page.getByText('Reading group').first().waitFor();
        await page.getByRole('button', { name: 'Change times' }).click();
        await page.getByRole('dialog').waitFor();
      },
    },
    {
      name: 'find-a-room',
      who: member,
      path: `/find?date=${findDay.date}&from=${findDay.start_time}&to=${findDay.end_time}&amenities=Step-free%20access`,
      ready: async (page) => {
        await page.getByRole('heading', { level: 1, name: 'Find a room' }).waitFor();
        await page.getByText('Reading Room').first().waitFor();
      },
    },
    { name: 'account', who: member, path: '/profile', ready: heading('Account') },
    {
      name: 'settings',
      who: hallAdmin,
      path: '/settings',
      ready: async (page) => {
        await page.getByRole('checkbox', { name: 'Booking made by email' }).waitFor();
      },
    },
    {
      // A feed link is shown once, when made (making it again at the other width turns the first one off).
      name: 'settings-calendar-feed',
      who: hallAdmin,
      path: '/settings',
      ready: async (page) => {
        await page.getByRole('button', { name: 'Make my calendar feed' }).click();
        await page.getByLabel(/^Calendar feed link/).waitFor();
      },
    },
    { name: 'not-found', who: other, path: `/bookings/${confirmedId}`, ready: heading('Not found'), answers: [404] },
  ];
}

/** A browser profile at a width, in en-GB and the tour's zone. */
export const tourContext = (browser: Browser, base: string, width: number) =>
  browser.newContext({
    baseURL: base,
    viewport: { width, height: width > 600 ? 800 : 740 },
    locale: 'en-GB',
    timezoneId: ZONE,
  });

/** Signs the stop's person in, in this profile (a stop with nobody stays signed out). */
export async function signInAs(page: Page, who: Shot['who']): Promise<void> {
  if (!who.email) return;
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ state: 'hidden' });
}

/** A stop's page, opened in a profile its person is signed in to: on its path, ready, the network quiet. */
export async function openIn(page: Page, shot: Shot): Promise<void> {
  await page.goto(shot.path);
  await shot.ready?.(page);
  await page.waitForLoadState('networkidle');
}

/** Opens a stop at a width in a profile of its own: signed in, on its page, ready; the caller closes the context. */
export async function openStop(
  browser: Browser,
  base: string,
  shot: Shot,
  width: number,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await tourContext(browser, base, width);
  try {
    const page = await context.newPage();
    await signInAs(page, shot.who);
    await openIn(page, shot);
    return { context, page };
  } catch (failure) {
    await context.close();
    throw failure;
  }
}
