import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { migrate, MIGRATIONS_DIR } from '../src/db/migrate';
import { instantOfWallTime } from '../web/src/format/zoned-time';
import { createTestContext, given, type TestContext } from './support';

describe('schema on embedded PostgreSQL', () => {
  let ctx: TestContext;
  let venueId: number;
  let userId: number;

  before(async () => {
    ctx = await createTestContext();
    venueId = (await given(ctx).venue({ name: 'LRDC Hall', timeZone: 'Asia/Kolkata' })).id;
    userId = (await ctx.createUser('member')).id;
  });
  after(() => ctx.close());

  const book = (range: string, status = 'active') => ctx.db.sql`
    insert into bookings (venue_id, user_id, event_name, during, status)
    values (${venueId}, ${userId}, 'Talk', ${range}::tstzrange, ${status}) returning id`;

  it('applied every migration once and a second run applies nothing', async () => {
    const applied = await ctx.db.sql<{ name: string }[]>`select name from schema_migrations order by name`;
    const files = (await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')).sort();
    assert.ok(files.length >= 1 && files[0] === '001_schema.sql');
    assert.deepEqual(
      applied.map((row) => row.name),
      files,
    );
    assert.deepEqual(await migrate(ctx.db.sql), []);
  });

  it('rejects an overlapping active booking of the same venue', async () => {
    await book('[2031-01-10 10:00+05:30, 2031-01-10 12:00+05:30)');
    await assert.rejects(
      book('[2031-01-10 11:00+05:30, 2031-01-10 13:00+05:30)'),
      (error: { code?: string; constraint_name?: string }) =>
        error.code === '23P01' && error.constraint_name === 'bookings_no_overlap',
    );
  });

  it('accepts a booking that only touches another', async () => {
    await book('[2031-01-11 10:00+05:30, 2031-01-11 12:00+05:30)');
    const [touching] = await book('[2031-01-11 12:00+05:30, 2031-01-11 14:00+05:30)');
    assert.ok(touching);
  });

  it("lets a cancelled booking's interval be booked again", async () => {
    await book('[2031-01-12 10:00+05:30, 2031-01-12 12:00+05:30)', 'cancelled');
    const [again] = await book('[2031-01-12 10:00+05:30, 2031-01-12 12:00+05:30)');
    assert.ok(again);
  });

  it('treats email addresses as unique without regard to case', async () => {
    await ctx.db.sql`insert into users (email, full_name) values ('Casey@Example.test', 'Casey')`;
    await assert.rejects(
      ctx.db.sql`insert into users (email, full_name) values ('casey@example.TEST', 'Casey Again')`,
      { code: '23505' },
    );
  });

  it('the web app reads a venue-local date and time as PostgreSQL stores it, across every kind of clock change', async () => {
    // Gaps and repeats in the northern and southern hemispheres, a half-hour change (Lord Howe), and
    // zones without DST: the app's preview of a slot must be the instant the server books.
    const cases: Array<[string, string, string]> = [
      ['America/New_York', '2026-03-08', '02:30:00'],
      ['America/New_York', '2026-11-01', '01:30:00'],
      ['America/New_York', '2026-11-01', '00:59:00'],
      ['Europe/London', '2026-03-29', '01:30:00'],
      ['Europe/London', '2026-10-25', '01:30:00'],
      ['Australia/Sydney', '2026-04-05', '02:30:00'],
      ['Australia/Sydney', '2026-10-04', '02:30:00'],
      ['Australia/Lord_Howe', '2026-10-04', '02:15:00'],
      ['Australia/Lord_Howe', '2026-04-05', '01:45:00'],
      ['Asia/Kolkata', '2026-12-06', '23:30:00'],
      ['Pacific/Chatham', '2026-09-27', '03:00:00'],
    ];
    for (const [zone, date, time] of cases) {
      const [row] = await ctx.db.sql<
        { at: Date }[]
      >`select (${`${date} ${time}`}::timestamp at time zone ${zone}) as at`;
      assert.equal(
        instantOfWallTime(date, time, zone).toISOString(),
        row!.at.toISOString(),
        `${date} ${time} in ${zone}`,
      );
    }
  });
});
