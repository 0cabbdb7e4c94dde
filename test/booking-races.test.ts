import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext as NodeTestContext } from 'node:test';
import { pino } from 'pino';
import { createSql, type Sql } from '../src/db/sql';
import { startApiServer, type ApiServer } from '../src/api/server';
import { createTestContext, given, localParts, type TestContext, type TestUser } from './support';

const ZONE = 'Asia/Kolkata';
const DAY = 86_400_000;
const MEMBERS = 20;

interface Answer {
  status: number;
  body: { error?: string };
}

/**
 * Everyone at once for one slot of one venue, through the real server on a real port: exactly one
 * wins, every other answer is a 409 with a sentence, and nothing deadlocks (no 500, no error in
 * the API's log, no deadlock in PostgreSQL's count for this database).
 */
describe('members racing for one slot over HTTP', () => {
  let ctx: TestContext;
  let members: TestUser[];
  let venueId: number;

  before(async () => {
    ctx = await createTestContext();
    members = await Promise.all(Array.from({ length: MEMBERS }, () => ctx.createUser('member')));
    venueId = (await given(ctx).venue({ name: 'Race Hall', timeZone: ZONE })).id;
  });
  after(() => ctx.close());

  /** The venue-local date `days` from today: each round races on a day of its own. */
  const dayAhead = (days: number) => localParts(new Date(Date.now() + days * DAY), ZONE).date;

  /**
   * The API on a pool of its own, logging warnings and errors to memory. The pool has a connection
   * per member, so every racer is inside PostgreSQL at once (with the default 10 the unguarded
   * inserts deadlocked in only some runs). When the work is done the pool is closed, so its
   * connections report their statistics, and PostgreSQL must have counted no deadlock meanwhile.
   */
  async function withServer(
    t: NodeTestContext,
    work: (call: (method: string, path: string, user: TestUser, body?: unknown) => Promise<Answer>) => Promise<void>,
  ): Promise<void> {
    const deadlocksBefore = await deadlockCount(ctx.db.sql);
    const logged: Array<{ level: number; msg: string; err?: { code?: string; message?: string } }> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    const pool: Sql = createSql(ctx.db.url, { max: MEMBERS });
    let server: ApiServer | undefined;
    try {
      server = await startApiServer({
        ...ctx.deps,
        sql: pool,
        logger,
        config: { ...ctx.config, http: { ...ctx.config.http, port: 0 } },
      });
      const base = server.url;
      await work(async (method, path, user, body) => {
        const response = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${user.token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as { error?: string } };
      });
    } finally {
      await server?.close();
      await pool.end({ timeout: 5 });
    }
    assert.deepEqual(
      logged
        .filter((line) => line.level >= 50)
        .map((line) => `${line.msg}: ${line.err?.code ?? ''} ${line.err?.message ?? ''}`),
      [],
      'no error in the API log',
    );
    assert.equal(await deadlockCount(ctx.db.sql), deadlocksBefore, 'PostgreSQL counted no deadlock');
    t.diagnostic(`API warnings: ${logged.length}`);
  }

  /** One round's answers: exactly one `won` status, every other a 409 whose sentence matches `lost`. */
  function assertOneWinner(round: number, answers: Answer[], won: number, lost: RegExp): number {
    const statuses = answers.map((a) => a.status);
    assert.deepEqual(
      {
        won: statuses.filter((s) => s === won).length,
        conflicts: statuses.filter((s) => s === 409).length,
        other: statuses.filter((s) => s !== won && s !== 409),
      },
      { won: 1, conflicts: answers.length - 1, other: [] },
      `round ${round}: ${JSON.stringify(answers.filter((a) => a.status !== 409))}`,
    );
    for (const answer of answers.filter((a) => a.status === 409))
      assert.match(answer.body.error ?? '', lost, `round ${round}: a 409 says why`);
    return statuses.indexOf(won);
  }

  async function activeBookingsOn(date: string): Promise<Array<{ user_id: number }>> {
    return [
      ...(await ctx.db.sql<{ user_id: number }[]>`
      select user_id from bookings
      where venue_id = ${venueId} and status = 'active' and (lower(during) at time zone ${ZONE})::date = ${date}::date`),
    ];
  }

  it('twenty members book one slot at once, 30 rounds: one 201, nineteen 409, never a 500', async (t) => {
    const rounds: string[] = [];
    await withServer(t, async (call) => {
      for (let round = 0; round < 30; round++) {
        const date = dayAhead(2 + round);
        // Odd rounds race overlapping rather than identical intervals: member k starts k minutes later.
        const slotOf = (k: number) =>
          round % 2 === 0
            ? { start_time: '10:00', end_time: '12:00' }
            : { start_time: `10:${String(k).padStart(2, '0')}`, end_time: `12:${String(k).padStart(2, '0')}` };
        const started = performance.now();
        const answers = await Promise.all(
          members.map((member, k) =>
            call('POST', '/api/bookings/', member, {
              venue: venueId,
              date,
              ...slotOf(k),
              event_name: `Round ${round}`,
            }),
          ),
        );
        const elapsed = performance.now() - started;
        const winner = assertOneWinner(round, answers, 201, /already booked for an overlapping time/);
        assert.deepEqual(
          await activeBookingsOn(date),
          [{ user_id: members[winner]!.id }],
          `round ${round}: one active booking, the winner's`,
        );
        rounds.push(`${round}:${Math.round(elapsed)}ms`);
      }
    });
    t.diagnostic(`30 rounds of 1×201 + 19×409; all 20 answers per round in ${rounds.join(' ')}`);
  });

  it('twenty members move their bookings onto one slot at once, 15 rounds: one 200, nineteen 409', async (t) => {
    const rounds: string[] = [];
    await withServer(t, async (call) => {
      for (let round = 0; round < 15; round++) {
        const date = dayAhead(40 + round);
        const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
        // Member k holds [k:00, k+1:00); everyone then asks for 21:00–23:00, which none of them holds.
        const created = await Promise.all(
          members.map((member, k) =>
            call('POST', '/api/bookings/', member, {
              venue: venueId,
              date,
              start_time: hh(k),
              end_time: hh(k + 1),
              event_name: `Move ${round}`,
            }),
          ),
        );
        assert.deepEqual(
          created.map((a) => a.status),
          members.map(() => 201),
        );
        const ids = created.map((a) => (a.body as { id: number }).id);
        const started = performance.now();
        const answers = await Promise.all(
          members.map((member, k) =>
            call('PATCH', `/api/bookings/${ids[k]}/`, member, { start_time: '21:00', end_time: '23:00' }),
          ),
        );
        const elapsed = performance.now() - started;
        const winner = assertOneWinner(round, answers, 200, /already booked for an overlapping time/);
        const [moved] = await ctx.db.sql<{ user_id: number; start_time: string }[]>`
          select user_id, to_char(lower(during) at time zone ${ZONE}, 'HH24:MI') as start_time from bookings
          where venue_id = ${venueId} and status = 'active' and (lower(during) at time zone ${ZONE})::date = ${date}::date and to_char(lower(during) at time zone ${ZONE}, 'HH24:MI') = '21:00'`;
        assert.deepEqual(
          { ...moved },
          { user_id: members[winner]!.id, start_time: '21:00' },
          `round ${round}: only the winner moved`,
        );
        assert.equal((await activeBookingsOn(date)).length, MEMBERS, `round ${round}: the losers keep their own slots`);
        rounds.push(`${round}:${Math.round(elapsed)}ms`);
      }
    });
    t.diagnostic(`15 rounds of 1×200 + 19×409; all 20 answers per round in ${rounds.join(' ')}`);
  });

  it('four offered waiters claim while fifteen members book the same freed slot, 10 rounds: one wins, eighteen 409', async (t) => {
    const holder = members[0]!;
    const waiters = members.slice(1, 5);
    const bookers = members.slice(5);
    const rounds: string[] = [];
    await withServer(t, async (call) => {
      for (let round = 0; round < 10; round++) {
        const slot = { venue: venueId, date: dayAhead(60 + round), start_time: '14:00', end_time: '15:00' };
        const held = await call('POST', '/api/bookings/', holder, { ...slot, event_name: `Held ${round}` });
        assert.equal(held.status, 201);
        const entries: number[] = [];
        for (const waiter of waiters) {
          const joined = await call('POST', '/api/waitlist/', waiter, slot);
          assert.equal(joined.status, 201, JSON.stringify(joined.body));
          entries.push((joined.body as { id: number }).id);
        }
        assert.equal(
          (await call('POST', `/api/bookings/${(held.body as { id: number }).id}/cancel/`, holder, {})).status,
          200,
        );
        // Offers set on the rows, as the offer workflow would; several at once makes the claims race each other too.
        await ctx.db.sql`
          update waitlist_entries set status = 'offered', notified = true, notified_at = now(), offer_expires_at = now() + interval '15 minutes', offer_workflow_id = ${`slot-offer-race-${round}`}
          where id = any(${entries})`;

        const started = performance.now();
        const answers = await Promise.all([
          ...waiters.map((waiter, k) => call('POST', `/api/waitlist/${entries[k]}/claim/`, waiter)),
          ...bookers.map((booker) => call('POST', '/api/bookings/', booker, { ...slot, event_name: `Grab ${round}` })),
        ]);
        const elapsed = performance.now() - started;
        const statuses = answers.map((a) => a.status);
        assert.deepEqual(
          { won: statuses.filter((s) => s === 201).length, conflicts: statuses.filter((s) => s === 409).length },
          { won: 1, conflicts: answers.length - 1 },
          `round ${round}: ${JSON.stringify(answers.filter((a) => a.status !== 409))}`,
        );
        answers.forEach((answer, i) => {
          if (answer.status === 409)
            assert.match(
              answer.body.error ?? '',
              i < waiters.length ? /booked by someone else/ : /already booked for an overlapping time/,
            );
        });
        const winner = [...waiters, ...bookers][statuses.indexOf(201)]!;
        assert.deepEqual(
          await activeBookingsOn(slot.date),
          [{ user_id: winner.id }],
          `round ${round}: one active booking, the winner's`,
        );
        const claimed = await ctx.db.sql<
          { user_id: number }[]
        >`select user_id from waitlist_entries where id = any(${entries}) and status = 'claimed'`;
        assert.deepEqual(
          [...claimed],
          waiters.includes(winner) ? [{ user_id: winner.id }] : [],
          `round ${round}: only a winning claim is marked claimed`,
        );
        rounds.push(`${round}:${waiters.includes(winner) ? 'claim' : 'booking'}:${Math.round(elapsed)}ms`);
      }
    });
    t.diagnostic(`10 rounds of 1×201 + 18×409; winner and all 19 answers per round in ${rounds.join(' ')}`);
  });
});

/** Deadlocks PostgreSQL has counted in this database (connections report theirs as they close). */
async function deadlockCount(sql: Sql): Promise<number> {
  const [row] = await sql<
    { deadlocks: number }[]
  >`select deadlocks::int as deadlocks from pg_stat_database where datname = current_database()`;
  return row!.deadlocks;
}
