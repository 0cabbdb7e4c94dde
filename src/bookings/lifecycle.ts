import type { Queryable, Sql } from '../db/sql';
import type { BookingView } from './queries';
import { releaseSlot } from './slot-release';

// The booking lifecycle workflow's steps on its row (its activities call these): read the state it
// decides on, and the conditional updates of reminder, auto-cancel and completion, each of which a
// confirm, cancel or reschedule that committed first turns into a no-op.

/** What the lifecycle workflow needs to decide its next step; instants as epoch milliseconds. */
export interface BookingLifecycleState {
  id: number;
  userId: number;
  venueId: number;
  venueName: string;
  timeZone: string;
  status: BookingView['status'];
  startsAt: number;
  endsAt: number;
  scheduleVersion: number;
  reminderSent: boolean;
  confirmed: boolean;
  autoCancelled: boolean;
}

export async function findLifecycleState(sql: Queryable, id: number): Promise<BookingLifecycleState | undefined> {
  const [row] = await sql<BookingLifecycleState[]>`
    select b.id, b.user_id as "userId", b.venue_id as "venueId", v.name as "venueName", v.time_zone as "timeZone", b.status,
      (extract(epoch from lower(b.during)) * 1000)::float8 as "startsAt", (extract(epoch from upper(b.during)) * 1000)::float8 as "endsAt",
      b.schedule_version as "scheduleVersion", b.reminder_sent as "reminderSent", b.confirmed, b.auto_cancelled as "autoCancelled"
    from bookings b join venues v on v.id = b.venue_id where b.id = ${id}`;
  return row;
}

/** The reminder for this timing of the booking; false when it was confirmed, cancelled, moved or already reminded. */
export async function markReminderSent(sql: Queryable, id: number, scheduleVersion: number, at: Date): Promise<boolean> {
  const rows = await sql`
    update bookings set reminder_sent = true, reminder_sent_at = ${at}, updated_at = now()
    where id = ${id} and status = 'active' and not confirmed and not reminder_sent and schedule_version = ${scheduleVersion}
    returning id`;
  return rows.length === 1;
}

/**
 * Cancels an unconfirmed booking at its deadline and hands the freed time to the waitlist, in one
 * transaction; false when a confirm (or a cancel, or a move) committed first and nothing changed.
 */
export async function autoCancelUnconfirmed(sql: Sql, id: number, scheduleVersion: number, at: Date, reason: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [freed] = await tx<{ venueId: number; startsAt: Date; endsAt: Date }[]>`
      update bookings set status = 'cancelled', auto_cancelled = true, auto_cancelled_at = ${at}, auto_cancel_reason = ${reason},
        cancelled_at = ${at}, cancel_reason = ${reason}, updated_at = now()
      where id = ${id} and status = 'active' and not confirmed and schedule_version = ${scheduleVersion}
      returning venue_id as "venueId", lower(during) as "startsAt", upper(during) as "endsAt"`;
    if (!freed) return false;
    await releaseSlot(tx, freed);
    return true;
  }) as Promise<boolean>;
}

/** Marks an active booking completed once its end has passed. */
export async function markCompleted(sql: Queryable, id: number, at: Date): Promise<boolean> {
  const rows = await sql`
    update bookings set status = 'completed', updated_at = now()
    where id = ${id} and status = 'active' and upper(during) <= ${at}
    returning id`;
  return rows.length === 1;
}
