import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { pino } from 'pino';
import { createActivities } from '../activities';
import { createApp } from '../src/api/app';
import { createSql } from '../src/db/sql';
import { createLogger } from '../src/log/logger';
import type { EmailOutcome } from '../src/notices';
import {
  createTestContext,
  eventually,
  given,
  slotOnDay,
  withWorker,
  type ReceivedEmail,
  type TestContext,
  type TestUser,
} from './support';
import { invitationOf, parseCalendar, type ParsedCalendar, type ParsedEvent } from './support/invitations';

// A zone with daylight saving, far from the server's UTC, so a time written in the wrong zone shows.
const ZONE = 'America/New_York';

describe("calendar invitations and private feeds: a member's bookings in their calendar (real worker, MailDev, parsed with ical.js)", () => {
  let ctx: TestContext;
  let superAdmin: TestUser;
  let hallAdmin: TestUser;
  let hall: { id: number; name: string };
  let annex: { id: number; name: string };
  let mailDevUrl: string;
  let host: string;
  let organizer: string;
  let nextDay = 4;

  before(async () => {
    ctx = await createTestContext();
    await withWorker(ctx);
    mailDevUrl = `http://127.0.0.1:${ctx.config.mail.devWebPort}`;
    host = new URL(ctx.config.http.publicBaseUrl).hostname;
    organizer = /<([^>]+)>/.exec(ctx.config.mail.from)?.[1] ?? ctx.config.mail.from;
    [superAdmin, hallAdmin] = await Promise.all([ctx.createUser('super_admin'), ctx.createUser('hall_admin')]);
    const venue = async (name: string) => {
      const response = await ctx.request('POST', '/api/venues/', {
        token: superAdmin.token,
        body: { name, location: 'North wing', time_zone: ZONE },
      });
      assert.equal(response.status, 201);
      return (await response.json()) as { id: number; name: string };
    };
    [hall, annex] = [await venue('Hudson Hall'), await venue('Annex')];
    assert.equal(
      (
        await ctx.request('POST', `/api/venues/${hall.id}/assign_admin/`, {
          token: superAdmin.token,
          body: { user_id: hallAdmin.id },
        })
      ).status,
      200,
    );
  });
  after(() => ctx.close());

  async function book(who: TestUser, venueId: number, eventName: string): Promise<number> {
    return (await given(ctx).booking(who, venueId, { slot: slotOnDay(nextDay++, 10, 2, ZONE), eventName })).booking.id;
  }

  async function startOf(bookingId: number): Promise<{ start: Date; end: Date }> {
    const [row] = await ctx.db.sql<
      { start: Date; end: Date }[]
    >`select lower(during) as start, upper(during) as "end" from bookings where id = ${bookingId}`;
    return row!;
  }

  /** The invitation of an email, checked as a mail client sees it, and parsed. */
  async function invitationIn(mail: ReceivedEmail, method: 'REQUEST' | 'CANCEL'): Promise<ParsedCalendar> {
    const invitation = await invitationOf(mailDevUrl, mail);
    assert.ok(invitation, `"${mail.subject}" carries invite.ics`);
    assert.equal(invitation.attachment.contentType, 'text/calendar');
    // The MIME parts: a text/calendar alternative and the attachment, both naming the method.
    const calendarParts = invitation.source.match(/Content-Type: text\/calendar;[^\r\n]*(\r?\n[ \t][^\r\n]*)*/gi) ?? [];
    assert.equal(calendarParts.length, 2, 'an alternative part and an attachment');
    for (const part of calendarParts) assert.match(part, new RegExp(`method=${method}`, 'i'));
    assert.match(invitation.source, /filename="?invite\.ics"?/);
    const calendar = parseCalendar(invitation.attachment.content);
    assert.equal(calendar.method, method);
    assert.equal(calendar.events.length, 1);
    return calendar;
  }

  async function feed(
    url: string,
  ): Promise<{ status: number; calendar?: ParsedCalendar; text: string; contentType: string | null }> {
    // As a calendar app fetches it: no Authorization header, the URL is the credential.
    const response = await ctx.app.request(new URL(url).pathname);
    const text = await response.text();
    return {
      status: response.status,
      text,
      contentType: response.headers.get('content-type'),
      calendar: response.status === 200 ? parseCalendar(text) : undefined,
    };
  }

  const eventOf = (calendar: ParsedCalendar | undefined, bookingId: number): ParsedEvent[] =>
    (calendar?.events ?? []).filter((event) => event.uid === `booking-${bookingId}@${host}`);

  async function newFeed(
    who: TestUser,
    body?: unknown,
  ): Promise<{ id: number; url: string; kind: string; venue_id: number | null }> {
    const response = await ctx.request('POST', '/api/calendar/feeds', { token: who.token, body });
    assert.equal(response.status, 201, await response.clone().text());
    return (await response.json()) as { id: number; url: string; kind: string; venue_id: number | null };
  }

  it("made, moved, cancelled: each email's invitation keeps one UID, SEQUENCE follows the schedule version, times in the venue's zone, and the feed updates its one event", async () => {
    const member = await ctx.createUser('member', { fullName: 'Maya Member' });
    const eventName = `Board meeting ${randomBytes(3).toString('hex')}`;
    const id = await book(member, hall.id, eventName);
    const uid = `booking-${id}@${host}`;

    // Made: the confirmation email carries a REQUEST.
    const confirmation = await ctx.mailbox.waitFor(
      member.email,
      (mail) => mail.subject.includes(eventName) && /^Booked:/.test(mail.subject),
      30_000,
    );
    const made = (await invitationIn(confirmation, 'REQUEST')).events[0]!;
    const booked = await startOf(id);
    assert.equal(made.uid, uid);
    assert.equal(made.sequence, 1);
    assert.equal(made.tzid, ZONE);
    assert.match(made.localStart, /T10:00:00$/, "DTSTART is the venue's wall clock");
    assert.equal(made.start.getTime(), booked.start.getTime(), 'and the right instant once the VTIMEZONE is applied');
    assert.equal(made.end.getTime(), booked.end.getTime());
    assert.equal(made.status, 'CONFIRMED');
    assert.equal(made.organizer?.toLowerCase(), `mailto:${organizer}`.toLowerCase());
    assert.deepEqual(
      made.attendees.map((attendee) => attendee.toLowerCase()),
      [`mailto:${member.email}`.toLowerCase()],
    );
    // The hall admin's alert is no invitation: the event is the booker's.
    const alert = await ctx.mailbox.waitFor(hallAdmin.email, (mail) => mail.subject.includes(eventName), 30_000);
    assert.equal(await invitationOf(mailDevUrl, alert), null);

    // The member subscribes to their feed.
    const { url } = await newFeed(member);
    assert.match(url, new RegExp(`^${ctx.config.http.publicBaseUrl}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
    const before = await feed(url);
    assert.equal(before.status, 200);
    assert.match(before.contentType ?? '', /^text\/calendar/);
    assert.equal(before.calendar!.method, 'PUBLISH');
    assert.deepEqual(
      eventOf(before.calendar, id).map((event) => [event.sequence, event.start.getTime()]),
      [[1, booked.start.getTime()]],
    );

    // Moved: a new time, schedule version 2. The lead's workflow sends the `rescheduled` notice; here
    // the notice's activities run as the worker would run them.
    const moved = slotOnDay(nextDay++, 14, 1, ZONE);
    const patch = await ctx.request('PATCH', `/api/bookings/${id}/`, { token: member.token, body: moved });
    assert.equal(patch.status, 200, await patch.clone().text());
    const activities = createActivities({
      config: ctx.config,
      sql: ctx.db.sql,
      mailer: ctx.mailer,
      logger: createLogger(ctx.config.logLevel),
    });
    const notice = { kind: 'rescheduled', bookingId: id, scheduleVersion: 2 } as const;
    await new MockActivityEnvironment().run(activities.recordNotice, notice);
    const outcomes = (await new MockActivityEnvironment().run(activities.deliverNotice, notice)) as EmailOutcome[];
    assert.equal(outcomes.length, 1);
    assert.ok(['sent', 'already_sent'].includes(outcomes[0]!), `the rescheduled email went out (${outcomes[0]})`);
    const rescheduled = await ctx.mailbox.waitFor(
      member.email,
      (mail) => mail.headers['x-bookit-idempotency-key'] === `booking:${id}:v2:rescheduled`,
      30_000,
    );
    assert.match(rescheduled.subject, /moved/i);
    assert.ok(rescheduled.text.includes('14:00'), 'the email names the new time');
    const movedEvent = (await invitationIn(rescheduled, 'REQUEST')).events[0]!;
    const now = await startOf(id);
    assert.equal(movedEvent.uid, uid, 'the same event, updated');
    assert.equal(movedEvent.sequence, made.sequence + 1);
    assert.equal(movedEvent.tzid, ZONE);
    assert.match(movedEvent.localStart, /T14:00:00$/);
    assert.equal(movedEvent.start.getTime(), now.start.getTime());
    await eventually(
      async () =>
        (
          await ctx.db
            .sql`select 1 from notifications where event_key = ${`booking:${id}:v2:rescheduled`} and notification_type = 'booking_rescheduled'`
        ).length === 1,
      'the in-app notice of the move',
    );

    const afterMove = await feed(url);
    assert.deepEqual(
      eventOf(afterMove.calendar, id).map((event) => [event.sequence, event.start.getTime()]),
      [[2, now.start.getTime()]],
      'one event, moved, not a second one',
    );

    // Cancelled: a CANCEL of the same UID, one revision later.
    assert.equal(
      (
        await ctx.request('POST', `/api/bookings/${id}/cancel/`, {
          token: member.token,
          body: { reason: 'Board moved online' },
        })
      ).status,
      200,
    );
    const cancellation = await ctx.mailbox.waitFor(
      member.email,
      (mail) => mail.subject.includes(eventName) && /cancelled/i.test(mail.subject),
      30_000,
    );
    const cancelled = (await invitationIn(cancellation, 'CANCEL')).events[0]!;
    assert.equal(cancelled.uid, uid);
    assert.equal(cancelled.sequence, movedEvent.sequence + 1);
    assert.equal(cancelled.status, 'CANCELLED');
    const afterCancel = await feed(url);
    assert.deepEqual(
      eventOf(afterCancel.calendar, id).map((event) => [event.sequence, event.status]),
      [[3, 'CANCELLED']],
    );
  });

  it('feed URLs: only a hash is stored, the list shows no token, rotation and revocation make the old URL 404, and only the owner revokes', async () => {
    const member = await ctx.createUser('member');
    const stranger = await ctx.createUser('member');
    const eventName = `Yoga ${randomBytes(3).toString('hex')}`;
    const id = await book(member, annex.id, eventName);
    assert.equal((await ctx.request('POST', '/api/calendar/feeds')).status, 401);

    const first = await newFeed(member);
    assert.deepEqual([first.kind, first.venue_id], ['personal', null]);
    const token = /\/calendar\/([^/]+)\.ics$/.exec(first.url)![1]!;
    const stored = await ctx.db.sql`select * from calendar_feeds where user_id = ${member.id}`;
    assert.ok(!JSON.stringify(stored).includes(token), 'the token itself is stored nowhere');
    assert.equal(eventOf((await feed(first.url)).calendar, id).length, 1);
    assert.equal(
      eventOf((await feed((await newFeed(stranger)).url)).calendar, id).length,
      0,
      "another member's feed has only their bookings",
    );

    const listed = await ctx.request('GET', '/api/calendar/feeds/', { token: member.token });
    const feeds = (await listed.json()) as Array<Record<string, unknown>>;
    assert.deepEqual(
      feeds.map((row) => Object.keys(row).sort()),
      [['created_at', 'id', 'kind', 'venue_id']],
    );
    assert.ok(!JSON.stringify(feeds).includes(token));

    // Rotation: a new URL, and the old one stops at once.
    const second = await newFeed(member, {});
    assert.notEqual(second.url, first.url);
    const old = await feed(first.url);
    assert.equal(old.status, 404);
    assert.match((JSON.parse(old.text) as { error: string }).error, /replaced or revoked/);
    assert.equal((await feed(second.url)).status, 200);

    // Revocation, by the owner only.
    assert.equal(
      (await ctx.request('DELETE', `/api/calendar/feeds/${second.id}`, { token: stranger.token })).status,
      404,
    );
    assert.equal((await feed(second.url)).status, 200);
    assert.equal(
      (await ctx.request('DELETE', `/api/calendar/feeds/${second.id}/`, { token: member.token })).status,
      200,
    );
    assert.equal((await feed(second.url)).status, 404);
    assert.deepEqual(await (await ctx.request('GET', '/api/calendar/feeds', { token: member.token })).json(), []);

    for (const path of ['/calendar/nothing.ics', `/calendar/${token}`, `/calendar/${'A'.repeat(43)}.ics`]) {
      assert.equal((await ctx.app.request(path)).status, 404, path);
    }
    const documented = (await (await ctx.request('GET', '/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const path of ['/api/calendar/feeds', '/api/calendar/feeds/{id}', '/calendar/{file}'])
      assert.ok(documented.paths[path], `${path} is in /openapi.json`);
  });

  it("a hall admin's venue feed lists every booking of the venue, only theirs may have one, and it stops when they stop administering it", async () => {
    const member = await ctx.createUser('member');
    const atHall = await book(member, hall.id, `Concert ${randomBytes(3).toString('hex')}`);
    const atAnnex = await book(member, annex.id, `Drill ${randomBytes(3).toString('hex')}`);

    assert.equal(
      (await ctx.request('POST', '/api/calendar/feeds', { token: member.token, body: { venue_id: hall.id } })).status,
      403,
    );
    assert.equal(
      (await ctx.request('POST', '/api/calendar/feeds', { token: hallAdmin.token, body: { venue_id: annex.id } }))
        .status,
      403,
    );
    assert.equal(
      (await ctx.request('POST', '/api/calendar/feeds', { token: hallAdmin.token, body: { venue_id: 999_999_999 } }))
        .status,
      404,
    );

    const venueFeed = await newFeed(hallAdmin, { venue_id: hall.id });
    assert.deepEqual([venueFeed.kind, venueFeed.venue_id], ['venue', hall.id]);
    const personal = await newFeed(hallAdmin);
    const served = await feed(venueFeed.url);
    assert.equal(served.status, 200);
    assert.match(served.text, /X-WR-CALNAME:BookIT: Hudson Hall/);
    assert.equal(eventOf(served.calendar, atHall).length, 1);
    assert.equal(eventOf(served.calendar, atAnnex).length, 0);
    assert.equal((await feed(personal.url)).status, 200, 'a personal feed lives beside the venue feed');

    assert.equal(
      (await ctx.request('DELETE', `/api/venues/${hall.id}/admins/${hallAdmin.id}`, { token: superAdmin.token }))
        .status,
      200,
    );
    assert.equal((await feed(venueFeed.url)).status, 404);
    assert.equal((await feed(personal.url)).status, 200);
    assert.equal(
      (
        await ctx.request('POST', `/api/venues/${hall.id}/assign_admin/`, {
          token: superAdmin.token,
          body: { user_id: hallAdmin.id },
        })
      ).status,
      200,
    );
  });

  it('the feed token never reaches the logs, even when the request fails', async () => {
    const member = await ctx.createUser('member');
    const { url } = await newFeed(member);
    const lines: string[] = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    // PostgreSQL unreachable: the feed answers 503 and logs why, with the feed, not its URL.
    const unreachable = createSql('postgres://bookit@127.0.0.1:1/none', { max: 1 });
    try {
      const app = createApp({ ...ctx.deps, sql: unreachable, logger });
      const response = await app.request(new URL(url).pathname);
      assert.equal(response.status, 503);
      const healthy = await createApp({ ...ctx.deps, logger }).request(new URL(url).pathname);
      assert.equal(healthy.status, 200);
    } finally {
      await unreachable.end({ timeout: 1 });
    }
    const token = /\/calendar\/([^/]+)\.ics$/.exec(url)![1]!;
    assert.ok(
      lines.some((line) => line.includes('calendar feed')),
      'the failure was logged',
    );
    assert.ok(!lines.join('\n').includes(token), 'without the token');
  });
});
