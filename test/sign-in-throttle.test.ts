import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { createApp } from '../src/api/app';
import { normalizeAddress } from '../src/api/client-address';
import {
  ACCOUNT_FREE_FAILURES,
  ADDRESS_DRAIN_SECONDS,
  ADDRESS_FREE_FAILURES,
  LOCK_CEILING_SECONDS,
} from '../src/users/sign-in-throttle';
import { createTestContext, uniqueEmail, type TestContext } from './support/context';

interface LogLine {
  msg: string;
  level: number;
  address?: string;
}

describe('sign-in throttle: per account and per client address, checked before any hashing', () => {
  let ctx: TestContext;
  const logged: LogLine[] = [];
  let app: ReturnType<typeof createApp>;
  let proxiedApp: ReturnType<typeof createApp>;

  before(async () => {
    ctx = await createTestContext();
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logged.push(JSON.parse(line) as LogLine) });
    app = createApp({ ...ctx.deps, logger });
    proxiedApp = createApp({
      ...ctx.deps,
      logger,
      config: { ...ctx.config, auth: { ...ctx.config.auth, trustProxy: true } },
    });
  });
  after(() => ctx.close());

  let nextAddress = 1;
  /** A documentation-range address of its own for each caller, so tests never share an address's count. */
  const freshAddress = () => `198.51.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`;

  /** A sign-in over a "connection" from `address`, as @hono/node-server hands the socket to getConnInfo. */
  async function login(
    email: string,
    password: string,
    address: string,
    options: { headers?: Record<string, string>; via?: typeof app } = {},
  ): Promise<Response> {
    return (options.via ?? app).request(
      '/api/auth/login',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: JSON.stringify({ email, password }),
      },
      {
        incoming: {
          socket: { remoteAddress: address, remotePort: 40000, remoteFamily: address.includes(':') ? 'IPv6' : 'IPv4' },
        },
      },
    );
  }

  /** How many passwords were checked (one scrypt each) from `address` since the mark. */
  const mark = () => logged.length;
  const checkedSince = (since: number, address: string) =>
    logged
      .slice(since)
      .filter((line) => (line.msg === 'sign-in failed' || line.msg === 'signed in') && line.address === address).length;

  const throttleRow = async (key: string) => {
    const [row] = await ctx.db.sql<{ failures: number; wait: number | null }[]>`
      select failures, extract(epoch from locked_until - now())::float8 as wait from sign_in_throttle where key = ${key}`;
    return row;
  };

  it(`checks ${ACCOUNT_FREE_FAILURES} wrong passwords for an account, then answers 429 with Retry-After without checking any, alike for an account that does not exist`, async () => {
    const user = await ctx.createUser('member');
    const answers: Record<
      string,
      { statuses: number[]; last: { error: string }; retryAfter: string | null; checked: number }
    > = {};
    for (const [name, email] of [
      ['real', user.email],
      ['made-up', uniqueEmail('nobody')],
    ] as const) {
      const address = freshAddress();
      const since = mark();
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < ACCOUNT_FREE_FAILURES + 3; i++) {
        last = await login(email, 'not-the-password', address);
        statuses.push(last.status);
      }
      answers[name] = {
        statuses,
        last: (await last!.json()) as { error: string },
        retryAfter: last!.headers.get('retry-after'),
        checked: checkedSince(since, address),
      };
    }
    const expected = [...Array<number>(ACCOUNT_FREE_FAILURES).fill(401), 429, 429, 429];
    for (const answer of Object.values(answers)) {
      assert.deepEqual(answer.statuses, expected);
      assert.equal(answer.checked, ACCOUNT_FREE_FAILURES, 'no password was checked once throttled');
      assert.match(answer.retryAfter ?? '', /^\d+$/);
      assert.deepEqual(Object.keys(answer.last), ['error']);
      assert.match(answer.last.error, /Too many failed sign-in attempts/);
    }
    assert.deepEqual(answers.real, answers['made-up'], 'a real and a made-up account answer alike');
    // Even the right password waits: the throttle cannot know it is right without hashing it.
    assert.equal((await login(user.email, user.password, freshAddress())).status, 429);
  });

  it('a burst of parallel guesses is counted before any is checked: 40 at once, at most 5 passwords hashed', async () => {
    const user = await ctx.createUser('member');
    const address = freshAddress();
    const since = mark();
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () => login(user.email, 'not-the-password', address).then((r) => r.status)),
    );
    const checked = checkedSince(since, address);
    assert.ok(checked <= ACCOUNT_FREE_FAILURES, `${checked} passwords checked`);
    assert.equal(statuses.filter((status) => status === 401).length, checked);
    // The rest were refused before any hash: by the throttle, or (past the line for hashes) as busy.
    assert.equal(statuses.filter((status) => status === 429 || status === 503).length, 40 - checked);
  });

  it('the owner still signs in from an address they used before while an attacker has their account locked, and that resets the count', async () => {
    const user = await ctx.createUser('member');
    const [home, attacker, newPlace] = [freshAddress(), freshAddress(), freshAddress()];
    assert.equal((await login(user.email, user.password, home)).status, 200);
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++)
      assert.equal((await login(user.email, `guess-${i}`, attacker)).status, 401);
    assert.equal((await login(user.email, 'guess-again', attacker)).status, 429);
    assert.equal(
      (await login(user.email, user.password, newPlace)).status,
      429,
      'an address never used for this account waits',
    );

    const since = mark();
    assert.equal((await login(user.email, user.password, home)).status, 200, 'the known address gets through');
    assert.equal(checkedSince(since, home), 1);
    assert.equal(
      await throttleRow(`account:${user.email.toLowerCase()}`),
      undefined,
      "a success starts the account's count over",
    );
    assert.equal((await login(user.email, 'wrong-once-more', newPlace)).status, 401);
    assert.equal((await login(user.email, user.password, newPlace)).status, 200);
  });

  it(`one address trying many accounts is stopped after ${ADDRESS_FREE_FAILURES} failures, for every account, while other addresses are not`, async () => {
    const user = await ctx.createUser('member');
    const sprayer = freshAddress();
    const since = mark();
    for (let i = 0; i < ADDRESS_FREE_FAILURES; i++)
      assert.equal((await login(uniqueEmail('spray'), 'Password123!', sprayer)).status, 401);
    const refused = await login(uniqueEmail('spray'), 'Password123!', sprayer);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal(
      (await login(user.email, user.password, sprayer)).status,
      429,
      'the address waits, whichever account it names',
    );
    assert.equal(checkedSince(since, sprayer), ADDRESS_FREE_FAILURES);
    assert.equal((await login(user.email, user.password, freshAddress())).status, 200);
    // A refused attempt leaves nothing behind for the made-up email it named.
    const [{ count }] = await ctx.db.sql<
      [{ count: number }]
    >`select count(*)::int from sign_in_throttle where key like 'account:spray-%'`;
    assert.equal(count, ADDRESS_FREE_FAILURES);
  });

  /** The throttle reads PostgreSQL's clock: moving a row's instants back is that much time passing for it. */
  const timePasses = (key: string, seconds: number) =>
    ctx.db.sql`
      update sign_in_throttle set
        locked_until = locked_until - make_interval(secs => ${seconds}),
        expires_at = expires_at - make_interval(secs => ${seconds})
      where key = ${key}`;

  it('an address someone is spraying guesses from still lets in the people who signed in from it before; a newcomer there waits', async () => {
    const [colleague, newcomer] = [await ctx.createUser('member'), await ctx.createUser('member')];
    const office = freshAddress();
    assert.equal((await login(colleague.email, colleague.password, office)).status, 200);
    for (let i = 0; i < ADDRESS_FREE_FAILURES; i++)
      assert.equal((await login(uniqueEmail('spray'), 'Password123!', office)).status, 401);
    assert.equal((await login(uniqueEmail('spray'), 'Password123!', office)).status, 429, 'the address is locked');

    assert.equal(
      (await login(colleague.email, colleague.password, office)).status,
      200,
      'a known (account, address) pair passes the lock',
    );
    assert.equal(
      (await login(newcomer.email, newcomer.password, office)).status,
      429,
      'an account never signed in from here waits',
    );
  });

  it(`a known pair is judged on its own record: ${ACCOUNT_FREE_FAILURES} guesses at one account from an address its owner used, then only that pair waits`, async () => {
    const [owner, neighbour] = [await ctx.createUser('member'), await ctx.createUser('member')];
    const [office, home] = [freshAddress(), freshAddress()];
    assert.equal((await login(owner.email, owner.password, office)).status, 200);
    assert.equal((await login(owner.email, owner.password, home)).status, 200);
    const since = mark();
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++)
      assert.equal((await login(owner.email, `guess-${i}`, office)).status, 401);
    assert.equal((await login(owner.email, 'guess-again', office)).status, 429);
    assert.equal(checkedSince(since, office), ACCOUNT_FREE_FAILURES);
    assert.equal((await login(owner.email, owner.password, home)).status, 200, 'the owner elsewhere is not held back');
    assert.equal((await login(neighbour.email, neighbour.password, office)).status, 200, 'nor anyone else there');
  });

  it(`a tripped address drains: one failure leaves it every ${ADDRESS_DRAIN_SECONDS} s, so it never waits longer however long the guessing goes on`, async () => {
    const office = freshAddress();
    const key = `address:${office}`;
    for (let i = 0; i < ADDRESS_FREE_FAILURES; i++) await login(uniqueEmail('typo'), 'wrong', office);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const refused = await login(uniqueEmail('typo'), 'wrong', office);
      assert.equal(refused.status, 429);
      const wait = Number(refused.headers.get('retry-after'));
      waits.push(wait);
      await timePasses(key, wait);
      assert.equal((await login(uniqueEmail('typo'), 'wrong', office)).status, 401, 'once the wait lapses, one more');
    }
    assert.ok(
      waits.every((wait) => wait >= 1 && wait <= ADDRESS_DRAIN_SECONDS),
      `waits ${waits.join(', ')} s, none over ${ADDRESS_DRAIN_SECONDS}`,
    );
    await timePasses(key, ADDRESS_FREE_FAILURES * ADDRESS_DRAIN_SECONDS);
    for (let i = 0; i < ADDRESS_FREE_FAILURES; i++)
      assert.equal(
        (await login(uniqueEmail('typo'), 'wrong', office)).status,
        401,
        'drained: the full allowance again',
      );
  });

  it("a correct sign-in takes that account's failures off the address's count", async () => {
    const user = await ctx.createUser('member');
    const office = freshAddress();
    const typos = 4;
    for (let i = 0; i < typos; i++) assert.equal((await login(user.email, `typo-${i}`, office)).status, 401);
    for (let i = 0; i < ADDRESS_FREE_FAILURES - typos - 1; i++)
      assert.equal((await login(uniqueEmail('other'), 'wrong', office)).status, 401);
    assert.equal((await login(user.email, user.password, office)).status, 200);
    for (let i = 0; i < typos + 1; i++)
      assert.equal((await login(uniqueEmail('other'), 'wrong', office)).status, 401, `room for failure ${i + 1}`);
    assert.equal((await login(uniqueEmail('other'), 'wrong', office)).status, 429);
  });

  it('warns once, at the first sign-in carrying X-Forwarded-For, that TRUST_PROXY is off', async () => {
    const warnings: LogLine[] = [];
    const watched = createApp({
      ...ctx.deps,
      logger: pino({ level: 'debug' }, { write: (line: string) => void warnings.push(JSON.parse(line) as LogLine) }),
    });
    const behindProxy = { via: watched, headers: { 'x-forwarded-for': '203.0.113.50' } };
    await login(uniqueEmail('direct'), 'wrong', freshAddress(), { via: watched });
    await login(uniqueEmail('proxied'), 'wrong', '10.0.0.9', behindProxy);
    await login(uniqueEmail('proxied'), 'wrong', '10.0.0.9', behindProxy);
    const proxyWarnings = warnings.filter((line) => line.level === 40 && /TRUST_PROXY/.test(line.msg));
    assert.equal(proxyWarnings.length, 1, JSON.stringify(warnings.map((line) => line.msg)));
    assert.match(proxyWarnings[0]!.msg, /X-Forwarded-For/);
  });

  it('the wait doubles with each failure past the free ones, stops at 15 minutes, and the count is forgotten after an hour', async () => {
    const email = uniqueEmail('doubling');
    const address = freshAddress();
    const key = `account:${email}`;
    const lapse = () =>
      ctx.db.sql`update sign_in_throttle set locked_until = now() - interval '1 millisecond' where key = ${key}`;
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) await login(email, 'wrong', address);
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      waits.push((await throttleRow(key))!.wait!);
      await lapse();
      assert.equal((await login(email, 'wrong', address)).status, 401, 'once the wait lapses, one attempt is checked');
      assert.equal((await login(email, 'wrong', address)).status, 429, 'and the next waits again');
    }
    // 1 s, 2 s, 4 s (each read a moment after it was set).
    for (const [i, wait] of waits.entries())
      assert.ok(wait > 2 ** i - 1 && wait <= 2 ** i, `wait ${i + 1} was ${wait} s`);

    await ctx.db.sql`update sign_in_throttle set failures = 60 where key = ${key}`;
    await lapse();
    assert.equal((await login(email, 'wrong', address)).status, 401);
    const capped = await login(email, 'wrong', address);
    assert.equal(capped.status, 429);
    const retryAfter = Number(capped.headers.get('retry-after'));
    assert.ok(
      retryAfter > LOCK_CEILING_SECONDS - 60 && retryAfter <= LOCK_CEILING_SECONDS,
      `Retry-After ${retryAfter}`,
    );

    await ctx.db.sql`update sign_in_throttle set expires_at = now() - interval '1 second' where key = ${key}`;
    assert.equal((await login(email, 'wrong', address)).status, 401, 'an expired count no longer holds anyone back');
    assert.equal((await throttleRow(key))!.failures, 1, 'and counting starts over');
  });

  it('expired rows are swept by later attempts, so the table empties on its own', async () => {
    const stale = `account:${uniqueEmail('stale')}`;
    await ctx.db
      .sql`insert into sign_in_throttle (key, failures, expires_at) values (${stale}, 3, now() - interval '2 hours')`;
    await login(uniqueEmail('sweeper'), 'wrong', freshAddress());
    assert.equal(await throttleRow(stale), undefined);
  });

  it('wrong old passwords on change_password count against the same throttle', async () => {
    const user = await ctx.createUser('member');
    const address = freshAddress();
    const change = (oldPassword: string) =>
      app.request(
        '/api/auth/change_password',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
          body: JSON.stringify({ old_password: oldPassword, new_password: 'a-brand-new-passphrase' }),
        },
        { incoming: { socket: { remoteAddress: address } } },
      );
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) assert.equal((await change(`guess-${i}`)).status, 400);
    const refused = await change(user.password);
    assert.equal(refused.status, 429);
    assert.ok(refused.headers.get('retry-after'));
  });

  it('takes the client address from the connection; X-Forwarded-For only with TRUST_PROXY, and then its last entry', async () => {
    const email = uniqueEmail('proxy');
    await login(email, 'wrong', '198.51.100.200', { headers: { 'x-forwarded-for': '203.0.113.7' } });
    assert.ok(await throttleRow('address:198.51.100.200'), "the socket's address is counted");
    assert.equal(await throttleRow('address:203.0.113.7'), undefined, 'a header the client wrote is not believed');

    await login(email, 'wrong', '10.0.0.2', {
      via: proxiedApp,
      headers: { 'x-forwarded-for': '192.0.2.1, 203.0.113.8' },
    });
    assert.ok(await throttleRow('address:203.0.113.8'), 'behind a trusted proxy: the entry the proxy appended');
    assert.equal(await throttleRow('address:192.0.2.1'), undefined, 'not the one the client made up');
    assert.equal(await throttleRow('address:10.0.0.2'), undefined);
  });

  it('groups IPv6 clients by /64 and unwraps IPv4-mapped addresses', () => {
    assert.equal(normalizeAddress('::ffff:192.0.2.5'), '192.0.2.5');
    assert.equal(normalizeAddress('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(normalizeAddress('2001:DB8:1:2::9'), '2001:db8:1:2::/64');
    assert.equal(normalizeAddress('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(normalizeAddress('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(normalizeAddress('198.51.100.1'), '198.51.100.1');
  });
});
