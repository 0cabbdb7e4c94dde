// Drill 5b: every route × every kind of caller answers its expected status, and no list a caller
// reads ever holds another user's booking, notification or waitlist entry. A caller who must still
// replace an emailed password gets 403 everywhere but /me and logout; logout, last, ends each
// caller's token.
import type { Cluster } from '../scripts/dev/harness/cluster';
import {
  assignVenueAdmin,
  call,
  createUsers,
  createVenues,
  tokenFor,
  utcSlot,
  type FixtureUser,
} from '../scripts/dev/harness/fixtures';
import type { DrillReport } from './report';

type Actor =
  | 'super_admin'
  | 'hall_admin_of_venue'
  | 'hall_admin_other_venue'
  | 'owner'
  | 'other_member'
  | 'must_change'
  | 'no_token';
const ACTORS: Actor[] = [
  'no_token',
  'must_change',
  'other_member',
  'hall_admin_other_venue',
  'hall_admin_of_venue',
  'super_admin',
  'owner',
];
/** A member still holding the emailed password: 403 on every route but these (the middleware runs first). */
const OPEN_BEFORE_PASSWORD_CHANGE: Record<string, number> = {
  'GET /api/auth/me': 200,
  'POST /api/auth/change_password (wrong old password)': 400,
  'POST /api/auth/logout': 200,
  // The body limit answers before any auth middleware.
  'POST /api/bookings (a 96 KiB body)': 413,
};

interface World {
  api: string;
  venue: number;
  otherVenue: number;
  users: Record<Exclude<Actor, 'no_token'>, FixtureUser>;
  /** A booking of the owner's for a cell that changes it. */
  freshBooking(): Promise<number>;
  booking: number;
  notification: number;
  waitlistEntry: number;
}

interface Cell {
  route: string;
  /** Expected status for each actor (the must-change member's comes from OPEN_BEFORE_PASSWORD_CHANGE). */
  expect: Record<Exclude<Actor, 'must_change'>, number>;
  /** Builds and sends the request for one actor; fresh resources for routes that change them. */
  send(world: World, token: string | undefined, actor: Actor): Promise<number>;
}

type Expect = Cell['expect'];
const all = (status: number, anonymous = 401): Expect => ({
  super_admin: status,
  hall_admin_of_venue: status,
  hall_admin_other_venue: status,
  owner: status,
  other_member: status,
  no_token: anonymous,
});
const superOnly = (status: number): Expect => ({ ...all(403), super_admin: status });
/** The booker, a hall admin of its venue and a super admin may; anyone else sees nothing there. */
const bookingManagers = (status: number): Expect => ({
  super_admin: status,
  hall_admin_of_venue: status,
  owner: status,
  hall_admin_other_venue: 404,
  other_member: 404,
  no_token: 401,
});
const ownerOnly = (status: number, othersSee: number): Expect => ({ ...all(othersSee), owner: status });

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

const CELLS: Cell[] = [
  { route: 'GET /api/auth/me', expect: all(200), send: (w, t) => status(w, 'GET', '/api/auth/me', t) },
  { route: 'GET /api/venues', expect: all(200), send: (w, t) => status(w, 'GET', '/api/venues/', t) },
  {
    route: 'POST /api/venues',
    expect: superOnly(201),
    send: (w, t) =>
      status(w, 'POST', '/api/venues/', t, {
        name: `Matrix ${unique()}`,
        location: 'x',
        capacity: 10,
        time_zone: 'UTC',
      }),
  },
  { route: 'GET /api/users', expect: superOnly(200), send: (w, t) => status(w, 'GET', '/api/users/', t) },
  {
    route: 'POST /api/users',
    expect: superOnly(201),
    send: (w, t) =>
      status(w, 'POST', '/api/users/', t, {
        email: `matrix-${unique()}@bookit.test`,
        full_name: 'Matrix',
        role: 'member',
      }),
  },
  {
    // A newcomer of their own each time (made by the super admin), so the super admin's resend is the first.
    route: 'POST /api/users/{id}/resend_welcome',
    expect: superOnly(202),
    send: async (w, t) => {
      const made = await call<{ id: number }>(w.api, 'POST', '/api/users/', {
        token: w.users.super_admin.token,
        body: { email: `matrix-${unique()}@bookit.test`, full_name: 'Matrix', role: 'member' },
      });
      return status(w, 'POST', `/api/users/${made.body.id}/resend_welcome`, t);
    },
  },
  { route: 'GET /api/admin/emails', expect: superOnly(200), send: (w, t) => status(w, 'GET', '/api/admin/emails/', t) },
  {
    route: 'POST /api/notifications/broadcast',
    expect: superOnly(201),
    send: (w, t) =>
      status(w, 'POST', '/api/notifications/broadcast/', t, { title: 'Matrix', message: 'Matrix broadcast' }),
  },
  { route: 'GET /api/bookings', expect: all(200), send: (w, t) => status(w, 'GET', '/api/bookings/', t) },
  {
    route: 'GET /api/bookings/{id}',
    expect: bookingManagers(200),
    send: (w, t) => status(w, 'GET', `/api/bookings/${w.booking}/`, t),
  },
  {
    route: 'PATCH /api/bookings/{id}',
    expect: bookingManagers(200),
    send: async (w, t) =>
      status(w, 'PATCH', `/api/bookings/${await w.freshBooking()}/`, t, { event_name: 'Renamed by the matrix' }),
  },
  {
    route: 'POST /api/bookings/{id}/cancel',
    expect: bookingManagers(200),
    send: async (w, t) => status(w, 'POST', `/api/bookings/${await w.freshBooking()}/cancel/`, t, {}),
  },
  {
    route: 'POST /api/bookings/{id}/confirm',
    expect: {
      super_admin: 403,
      hall_admin_of_venue: 403,
      owner: 200,
      hall_admin_other_venue: 404,
      other_member: 404,
      no_token: 401,
    },
    send: async (w, t) => status(w, 'POST', `/api/bookings/${await w.freshBooking()}/confirm/`, t),
  },
  {
    route: 'POST /api/bookings/{id}/override_autocancel',
    expect: {
      super_admin: 200,
      hall_admin_of_venue: 200,
      owner: 403,
      hall_admin_other_venue: 404,
      other_member: 404,
      no_token: 401,
    },
    send: async (w, t) => status(w, 'POST', `/api/bookings/${await w.freshBooking()}/override_autocancel/`, t),
  },
  { route: 'GET /api/notifications', expect: all(200), send: (w, t) => status(w, 'GET', '/api/notifications/', t) },
  {
    route: 'GET /api/notifications/unread_count',
    expect: all(200),
    send: (w, t) => status(w, 'GET', '/api/notifications/unread_count/', t),
  },
  {
    route: 'GET /api/notifications/{id}',
    expect: ownerOnly(200, 404),
    send: (w, t) => status(w, 'GET', `/api/notifications/${w.notification}/`, t),
  },
  {
    route: 'POST /api/notifications/{id}/mark_read',
    expect: ownerOnly(200, 404),
    send: (w, t) => status(w, 'POST', `/api/notifications/${w.notification}/mark_read/`, t),
  },
  {
    route: 'POST /api/notifications/stream_ticket',
    expect: all(201),
    send: (w, t) => status(w, 'POST', '/api/notifications/stream_ticket/', t),
  },
  { route: 'GET /api/waitlist', expect: all(200), send: (w, t) => status(w, 'GET', '/api/waitlist/', t) },
  {
    route: 'GET /api/waitlist/my_waitlist',
    expect: all(200),
    send: (w, t) => status(w, 'GET', '/api/waitlist/my_waitlist/', t),
  },
  {
    route: 'GET /api/waitlist?venue={id}',
    expect: {
      super_admin: 200,
      hall_admin_of_venue: 200,
      hall_admin_other_venue: 403,
      owner: 403,
      other_member: 403,
      no_token: 401,
    },
    send: (w, t) => status(w, 'GET', `/api/waitlist/?venue=${w.venue}`, t),
  },
  {
    route: 'POST /api/waitlist/{id}/claim (not offered)',
    expect: { ...all(403), owner: 400 },
    send: (w, t) => status(w, 'POST', `/api/waitlist/${w.waitlistEntry}/claim/`, t),
  },
  {
    route: 'DELETE /api/waitlist/{id}/leave',
    expect: { ...all(403), owner: 200 },
    send: (w, t) => status(w, 'DELETE', `/api/waitlist/${w.waitlistEntry}/leave/`, t),
  },
  {
    route: 'DELETE /api/notifications/{id}',
    expect: ownerOnly(200, 404),
    send: (w, t) => status(w, 'DELETE', `/api/notifications/${w.notification}/`, t),
  },
  // Bounds. A body over MAX_BODY_BYTES (64 KiB) is refused before any auth, so every caller gets 413
  // (96 KiB: well over the limit, small enough that fetch has sent it all when the early answer comes).
  {
    route: 'POST /api/bookings (a 96 KiB body)',
    expect: all(413, 413),
    send: (w, t) =>
      status(w, 'POST', '/api/bookings/', t, { venue: w.venue, event_name: 'x', event_details: 'x'.repeat(96 * 1024) }),
  },
  {
    route: 'GET /api/waitlist?venue={id}&limit=101',
    expect: all(400),
    send: (w, t) => status(w, 'GET', `/api/waitlist/?venue=${w.venue}&limit=101`, t),
  },
  {
    route: 'POST /api/notifications/broadcast (javascript: link)',
    expect: superOnly(400),
    send: (w, t) =>
      status(w, 'POST', '/api/notifications/broadcast/', t, {
        title: 'Matrix',
        message: 'Matrix',
        link: 'javascript:alert(1)',
      }),
  },
  {
    route: 'POST /api/auth/change_password (wrong old password)',
    expect: all(400),
    send: (w, t) =>
      status(w, 'POST', '/api/auth/change_password/', t, {
        old_password: 'not-the-password',
        new_password: 'a-long-new-passphrase',
      }),
  },
  // Last: it ends the caller's every token, so nothing can follow it.
  { route: 'POST /api/auth/logout', expect: all(200), send: (w, t) => status(w, 'POST', '/api/auth/logout/', t) },
];

async function status(
  w: World,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<number> {
  return (await call(w.api, method, path, { token, body })).status;
}

export async function authorizationMatrix(cluster: Cluster, report: DrillReport): Promise<void> {
  const [venue, otherVenue] = await createVenues(cluster.sql, 2, 'drill5');
  const make = async (role: FixtureUser['role'], name: string) => {
    const [user] = await createUsers(cluster.sql, 1, role, `drill5-${name}`);
    user!.token = await tokenFor(cluster.jwtSecret, user!);
    return user!;
  };
  const [superRow] = await cluster.sql<{ id: number }[]>`select id from users where email = ${cluster.admin.email}`;
  const users: World['users'] = {
    super_admin: {
      id: superRow!.id,
      email: cluster.admin.email,
      role: 'super_admin',
      token: await tokenFor(cluster.jwtSecret, { id: superRow!.id, role: 'super_admin' }),
    },
    hall_admin_of_venue: await make('hall_admin', 'hall-a'),
    hall_admin_other_venue: await make('hall_admin', 'hall-b'),
    owner: await make('member', 'owner'),
    other_member: await make('member', 'other'),
    must_change: await make('member', 'must-change'),
  };
  await cluster.sql`update users set must_change_password = true where id = ${users.must_change.id}`;
  await assignVenueAdmin(cluster.sql, venue!, users.hall_admin_of_venue.id);
  await assignVenueAdmin(cluster.sql, otherVenue!, users.hall_admin_other_venue.id);
  const api = cluster.apis[0]!.url!;

  // Bookings three days ahead on their own hours, so none overlap and none is short notice.
  let hour = Math.ceil((Date.now() + 3 * 86_400_000) / 3_600_000);
  const freshBooking = async () => {
    const slot = utcSlot(hour++ * 3_600_000, 30 * 60_000);
    const answer = await call<{ id: number }>(api, 'POST', '/api/bookings/', {
      token: users.owner.token,
      body: { venue, ...slot, event_name: 'Matrix booking' },
    });
    if (answer.status !== 201)
      throw new Error(`matrix booking answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body.id;
  };
  const booking = await freshBooking();
  // The owner waits for a slot another member holds.
  const heldSlot = utcSlot(hour++ * 3_600_000, 30 * 60_000);
  const held = await call(api, 'POST', '/api/bookings/', {
    token: users.other_member.token,
    body: { venue, ...heldSlot, event_name: 'Held by another' },
  });
  const joined = await call<{ id: number }>(api, 'POST', '/api/waitlist/', {
    token: users.owner.token,
    body: { venue, ...heldSlot },
  });
  if (held.status !== 201 || joined.status !== 201)
    throw new Error(`matrix waitlist set-up answered ${held.status}/${joined.status}: ${JSON.stringify(joined.body)}`);
  const [note] = await cluster.sql<{ id: number }[]>`
    insert into notifications (user_id, notification_type, title, message, event_key)
    values (${users.owner.id}, 'system', 'Matrix', 'Only the owner may read this', ${`matrix:${unique()}`}) returning id`;
  const world: World = {
    api,
    venue: venue!,
    otherVenue: otherVenue!,
    users,
    freshBooking,
    booking,
    notification: note!.id,
    waitlistEntry: joined.body.id,
  };

  // Lists first: the matrix below deletes the owner's notification and leaves their waitlist entry.
  await listsShowOnlyAllowedRows(world, report);

  let cells = 0;
  const wrong: string[] = [];
  for (const cell of CELLS) {
    for (const actor of ACTORS) {
      const token = actor === 'no_token' ? undefined : users[actor].token;
      const expected = actor === 'must_change' ? (OPEN_BEFORE_PASSWORD_CHANGE[cell.route] ?? 403) : cell.expect[actor];
      const got = await cell.send(world, token, actor);
      cells++;
      if (got !== expected) wrong.push(`${cell.route} as ${actor}: ${got}, expected ${expected}`);
    }
  }
  for (const line of wrong) report.did(`  ${line}`);
  report.expect(
    wrong.length === 0,
    `authorization matrix: ${cells - wrong.length} of ${cells} cells (${CELLS.length} routes × ${ACTORS.length} callers) answered as expected`,
  );
}

/**
 * Nobody sees the owner's rows except those allowed to, and those allowed do see them: an empty or
 * failed list cannot pass as "no leak".
 */
async function listsShowOnlyAllowedRows(world: World, report: DrillReport): Promise<void> {
  const { api, users } = world;
  const problems: string[] = [];
  const list = async <T>(actor: Exclude<Actor, 'no_token'>, path: string): Promise<T[]> => {
    const answer = await call<T[]>(api, 'GET', path, { token: users[actor].token });
    if (answer.status === 200 && Array.isArray(answer.body)) return answer.body;
    problems.push(`GET ${path} as ${actor} answered ${answer.status}, not a list`);
    return [];
  };
  const bookingsOf = (actor: Exclude<Actor, 'no_token'>) =>
    list<{ id: number; user: number; venue: number }>(actor, '/api/bookings/?limit=100');
  const notificationsOf = (actor: Exclude<Actor, 'no_token'>) =>
    list<{ id: number }>(actor, '/api/notifications/?limit=100');
  const waitlistOf = (actor: Exclude<Actor, 'no_token'>) => list<{ id: number }>(actor, '/api/waitlist/');

  for (const actor of ['other_member', 'hall_admin_other_venue'] as const) {
    if ((await bookingsOf(actor)).some((b) => b.user !== users[actor].id))
      problems.push(`${actor} listed another user's booking`);
    if ((await notificationsOf(actor)).some((n) => n.id === world.notification))
      problems.push(`${actor} listed the owner's notification`);
    if ((await waitlistOf(actor)).some((e) => e.id === world.waitlistEntry))
      problems.push(`${actor} listed the owner's waitlist entry`);
  }
  const hallA = await bookingsOf('hall_admin_of_venue');
  if (hallA.some((b) => b.venue !== world.venue && b.user !== users.hall_admin_of_venue.id))
    problems.push('the hall admin listed a booking of a venue they do not run');

  // The rows a leak would show are really there for those who may see them.
  if (!(await bookingsOf('owner')).some((b) => b.id === world.booking))
    problems.push("the owner's booking list lacks their booking");
  if (!hallA.some((b) => b.id === world.booking))
    problems.push("the venue's hall admin's booking list lacks the owner's booking there");
  if (!(await notificationsOf('owner')).some((n) => n.id === world.notification))
    problems.push("the owner's notification list lacks their notification");
  if (!(await waitlistOf('owner')).some((e) => e.id === world.waitlistEntry))
    problems.push("the owner's waitlist lacks their entry");
  if ((await bookingsOf('other_member')).length === 0)
    problems.push("the other member's booking list lacks the booking they hold");

  for (const line of problems) report.did(`  ${line}`);
  report.expect(
    problems.length === 0,
    "no list showed a caller another user's booking, notification or waitlist entry, and each list showed its owner's own",
  );
}
