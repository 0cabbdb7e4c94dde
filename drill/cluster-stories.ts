// Drill 6's people: an owner who books, then confirms once the reminder reaches them (its
// notification and its email), leaves it to be auto-cancelled, or cancels it for a waiter who joined
// the slot's waitlist and claims the offer once it arrives. A step that gets no answer or a 5xx is
// repeated after a second, as a client would.
import type { Sql } from '../src/db/sql';
import { sleep, utcSlot } from '../scripts/dev/harness/fixtures';
import { isAnswered, type TrafficLog } from './cluster-load';

export type Kind = 'confirm' | 'ignore' | 'cancel';

/** One booking's story: made, then confirmed after its reminder, left alone, or cancelled for a waiter. */
export interface Story {
  i: number;
  kind: Kind;
  venue: number;
  startsAt: number;
  owner: { id: number; token: string };
  waiter: { id: number; token: string };
  created?: number;
  bookingId?: number;
  entryId?: number;
  cancelled?: boolean;
  confirmed?: boolean;
  claimedBookingId?: number;
  /** A step that never got a clear answer (the process died under it): its exact-once checks are skipped. */
  disturbed?: string;
}

/** Makes the booking and, for a waitlist story, has the waiter join and the owner cancel. */
export async function tell(story: Story, traffic: TrafficLog, url: string, sql: Sql): Promise<void> {
  const slot = utcSlot(story.startsAt, 60_000);
  const made = await traffic.call<{ id: number }>(url, 'POST', '/api/bookings/', {
    token: story.owner.token,
    body: { venue: story.venue, ...slot, event_name: `Drill 6 #${story.i}` },
  });
  story.created = made.status;
  if (made.status !== 201) return;
  story.bookingId = made.body.id;
  if (story.kind !== 'cancel') return;
  const joined = await untilAnswered(() =>
    traffic.call<{ id: number }>(url, 'POST', '/api/waitlist/', {
      token: story.waiter.token,
      body: { venue: story.venue, ...slot },
    }),
  );
  if (joined.answer.status === 201) story.entryId = joined.answer.body.id;
  else if (joined.retried) {
    const [row] = await sql<{ id: number }[]>`
      select id from waitlist_entries where user_id = ${story.waiter.id} and venue_id = ${story.venue}`;
    story.entryId = row?.id;
  }
  if (story.entryId === undefined) {
    story.disturbed = `join answered ${describeAnswer(joined.answer)}`;
    return;
  }
  await sleep(2_000);
  const cancelled = await untilAnswered(() =>
    traffic.call(url, 'POST', `/api/bookings/${story.bookingId}/cancel/`, { token: story.owner.token, body: {} }),
  );
  story.cancelled =
    cancelled.answer.status === 200 ||
    (cancelled.retried &&
      (await sql<{ status: string }[]>`select status from bookings where id = ${story.bookingId!}`)[0]?.status ===
        'cancelled');
  if (!story.cancelled) story.disturbed = `cancel answered ${describeAnswer(cancelled.answer)}`;
}

/**
 * Confirms once the reminder reached the owner, claims once the offer reached the waiter (each its
 * notification and its email: an offer claimed before its email went out is, rightly, never emailed).
 */
export async function follow(stories: Story[], traffic: TrafficLog, url: string, sql: Sql, going: () => boolean) {
  const busy = new Set<number>();
  const pending: Array<Promise<void>> = [];
  while (going()) {
    const toConfirm = stories.filter(
      (s) => s.kind === 'confirm' && s.bookingId !== undefined && s.confirmed === undefined && !busy.has(s.i),
    );
    const reminded = new Set(
      toConfirm.length
        ? (
            await sql<{ id: number }[]>`
            select b.id from bookings b where b.id = any(${toConfirm.map((s) => s.bookingId!)})
              and exists (select 1 from notifications n where n.event_key = 'booking:' || b.id || ':v1:reminder')
              and exists (select 1 from email_log e where e.idempotency_key = 'booking:' || b.id || ':v1:reminder' and e.status = 'sent')`
          ).map((row) => row.id)
        : [],
    );
    for (const story of toConfirm.filter((s) => reminded.has(s.bookingId!))) {
      busy.add(story.i);
      pending.push(
        (async () => {
          const { answer, retried } = await untilAnswered(() =>
            traffic.call(url, 'POST', `/api/bookings/${story.bookingId}/confirm/`, { token: story.owner.token }),
          );
          story.confirmed =
            answer.status === 200 ||
            (retried &&
              (await sql<{ confirmed: boolean }[]>`select confirmed from bookings where id = ${story.bookingId!}`)[0]
                ?.confirmed === true);
          if (!story.confirmed) story.disturbed = `confirm answered ${describeAnswer(answer)}`;
        })(),
      );
    }
    const toClaim = stories.filter(
      (s) => s.cancelled && s.entryId !== undefined && s.claimedBookingId === undefined && !busy.has(s.i),
    );
    const offered = new Set(
      toClaim.length
        ? (
            await sql<{ id: number }[]>`
            select w.id from waitlist_entries w where w.id = any(${toClaim.map((s) => s.entryId!)}) and w.status = 'offered'
              and exists (select 1 from notifications n where n.event_key like 'waitlist:' || w.id || ':offer:%')
              and exists (select 1 from email_log e where e.idempotency_key like 'waitlist:' || w.id || ':offer:%' and e.status = 'sent')`
          ).map((row) => row.id)
        : [],
    );
    for (const story of toClaim.filter((s) => offered.has(s.entryId!))) {
      busy.add(story.i);
      pending.push(
        (async () => {
          const { answer, retried } = await untilAnswered(() =>
            traffic.call<{ booking_id: number }>(url, 'POST', `/api/waitlist/${story.entryId}/claim`, {
              token: story.waiter.token,
            }),
          );
          if (answer.status === 201) story.claimedBookingId = answer.body.booking_id;
          else if (retried) {
            const [row] = await sql<{ booking_id: number | null }[]>`
              select booking_id from waitlist_entries where id = ${story.entryId!} and status = 'claimed'`;
            story.claimedBookingId = row?.booking_id ?? undefined;
          }
          if (story.claimedBookingId === undefined) story.disturbed = `claim answered ${describeAnswer(answer)}`;
        })(),
      );
    }
    await sleep(500);
  }
  await Promise.all(pending);
}

/** Repeats a request while it gets no answer or a 5xx, as a client would, for up to 60 s. */
export async function untilAnswered<T extends { status: number }>(
  send: () => Promise<T>,
): Promise<{ answer: T; retried: boolean }> {
  const deadline = Date.now() + 60_000;
  let answer = await send();
  let retried = false;
  while (!isAnswered(answer.status) && Date.now() < deadline) {
    await sleep(1_000);
    retried = true;
    answer = await send();
  }
  return { answer, retried };
}

export function describeAnswer(answer: { status: number; body: unknown }): string {
  return `${answer.status} ${JSON.stringify(answer.body).slice(0, 100)}`;
}
