import type { Queryable, Sql } from '../db/sql';
import { lockSeries } from '../series/store';
import { releaseSlot } from './slot-release';
import type { BookingLifecycleState } from '../contracts/booking-types';

// The booking lifecycle workflow's steps on its row (its activities call these): read the state it
// decides on, and the conditional updates of reminder, auto-cancel and completion, each of which a
// confirm, cancel or reschedule that committed first turns into a no-op.

export async function findLifecycleState(sql: Queryable, id: number): Promise<BookingLifecycleState | undefined> {
  const [row] = await sql<BookingLifecycleState[]>`
    select b.id, b.user_id as "userId", b.venue_id as "venueId", v.name as "venueName", v.time_zone as "timeZone", b.status,
      (extract(epoch from lower(b.during)) * 1000)::float8 as "startsAt", (extract(epoch from upper(b.during)) * 1000)::float8 as "endsAt",
      b.schedule_version as "scheduleVersion", b.reminder_sent as "reminderSent",
      (extract(epoch from b.confirm_deadline) * 1000)::float8 as "confirmDeadline", b.confirmed, b.auto_cancelled as "autoCancelled",
      case when v.check_in_required then json_build_object(
        'closesAt', (extract(epoch from least(lower(b.during) + v.check_in_closes_after, upper(b.during))) * 1000)::float8,
        'checkedIn', b.checked_in_at is not null) end as "checkIn",
      b.no_show as "noShow", b.series_id as "seriesId", b.cancelled_with_series as "cancelledWithSeries",
      case when b.approval_status is not null then json_build_object(
        'status', b.approval_status,
        'requestedAt', (extract(epoch from b.approval_requested_at) * 1000)::float8,
        'deadline', (extract(epoch from b.approval_deadline) * 1000)::float8,
        'nudgedAt', (extract(epoch from b.approval_nudged_at) * 1000)::float8,
        'escalatedAt', (extract(epoch from b.approval_escalated_at) * 1000)::float8) end as "approval"
    from bookings b join venues v on v.id = b.venue_id where b.id = ${id}`;
  return row;
}

/**
 * The reminder for this timing of the booking, with the deadline it names (`deadlineAfterReminder`:
 * the start minus D, or `minConfirmWindowMs` after a late reminder); false when it was confirmed,
 * cancelled, moved or already reminded.
 */
export async function markReminderSent(
  sql: Queryable,
  id: number,
  scheduleVersion: number,
  at: Date,
  leads: { confirmDeadlineMs: number; minConfirmWindowMs: number },
): Promise<boolean> {
  const rows = await sql`
    update bookings set reminder_sent = true, reminder_sent_at = ${at}, updated_at = now(),
      confirm_deadline = greatest(
        lower(during) - make_interval(secs => ${leads.confirmDeadlineMs / 1000}), ${at}::timestamptz + make_interval(secs => ${leads.minConfirmWindowMs / 1000}))
    where id = ${id} and status = 'active' and not confirmed and not reminder_sent and schedule_version = ${scheduleVersion}
    returning id`;
  return rows.length === 1;
}

/**
 * The reminder's email for `scheduleVersion` bounced: its owner was not asked by email, so the
 * booking is no longer cancelled for silence (the stored deadline moves to the start, which the
 * lifecycle reads as "no deadline"). False when it was confirmed, cancelled or moved first, or a
 * repeat of the same bounce.
 */
export async function excuseSilenceAfterBounce(
  sql: Queryable,
  id: number,
  scheduleVersion: number,
  at: Date,
): Promise<boolean> {
  const rows = await sql`
    update bookings set reminder_email_bounced_at = ${at}, confirm_deadline = greatest(confirm_deadline, lower(during)), updated_at = now()
    where id = ${id} and status = 'active' and not confirmed and reminder_sent and schedule_version = ${scheduleVersion}
      and reminder_email_bounced_at is null
    returning id`;
  return rows.length === 1;
}

/**
 * Cancels an unconfirmed booking at its deadline and hands the freed time to the waitlist, in one
 * transaction; false when a confirm (or a cancel, or a move) committed first and nothing changed.
 */
export async function autoCancelUnconfirmed(
  sql: Sql,
  id: number,
  scheduleVersion: number,
  at: Date,
  reason: string,
): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [freed] = await tx<{ venueId: number; startsAt: Date; endsAt: Date }[]>`
      update bookings set status = 'cancelled', auto_cancelled = true, auto_cancelled_at = ${at}, auto_cancel_reason = ${reason},
        cancelled_at = ${at}, cancel_reason = ${reason}, updated_at = now()
      where id = ${id} and status = 'active' and not confirmed and schedule_version = ${scheduleVersion}
        and reminder_email_bounced_at is null
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

/**
 * Releases a booking nobody checked in to, once its check-in window has closed: cancelled as a
 * no-show, and the rest of its time (from now to its end) handed to the waitlist, in one
 * transaction. False when a check-in, a cancel or a move committed first, or the venue stopped
 * asking for check-in.
 */
export async function releaseNoShow(
  sql: Sql,
  id: number,
  scheduleVersion: number,
  at: Date,
  reason: string,
): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [freed] = await tx<{ venueId: number; endsAt: Date }[]>`
      update bookings b set status = 'cancelled', no_show = true, no_show_at = ${at}, cancelled_at = ${at}, cancel_reason = ${reason}, updated_at = now()
      from venues v
      where b.id = ${id} and v.id = b.venue_id and v.check_in_required and b.status = 'active' and b.checked_in_at is null
        and b.schedule_version = ${scheduleVersion} and least(lower(b.during) + v.check_in_closes_after, upper(b.during)) <= ${at}
      returning b.venue_id as "venueId", upper(b.during) as "endsAt"`;
    if (!freed) return false;
    await releaseSlot(tx, { venueId: freed.venueId, startsAt: at, endsAt: freed.endsAt }, at);
    return true;
  }) as Promise<boolean>;
}

/** The admins were nudged (or, `escalated`, the super admins told) about a pending request; once each. Answers the row as it stands. */
export async function markApprovalChased(
  sql: Queryable,
  id: number,
  stage: 'nudged' | 'escalated',
  at: Date,
): Promise<void> {
  await sql`
    update bookings set ${stage === 'nudged' ? sql`approval_nudged_at` : sql`approval_escalated_at`} = ${at}, updated_at = now()
    where id = ${id} and approval_status = 'pending' and ${stage === 'nudged' ? sql`approval_nudged_at` : sql`approval_escalated_at`} is null`;
}

export const APPROVAL_TIMED_OUT_REASON = 'Not approved in time';

/**
 * A request nobody decided by its deadline takes the venue's default: approved (the lifecycle goes
 * on) or denied (cancelled, its slot offered to waiters), in one transaction. A date of a repeating
 * request is decided with every date of its series waiting for the same deadline (their own timers
 * then find them decided), so the series' one notice tells of them all. False when a decision
 * committed first.
 */
export async function decideApprovalByDefault(sql: Sql, id: number, at: Date): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [own] = await tx<{ series_id: number | null }[]>`select series_id from bookings where id = ${id}`;
    // The series first, as every change to a whole series takes it: no two of them deadlock.
    if (own?.series_id) await lockSeries(tx, own.series_id);
    const decided = await tx<
      { id: number; outcome: 'approve' | 'deny'; venue_id: number; starts_at: Date; ends_at: Date }[]
    >`
      update bookings b set approval_status = case v.approval_on_timeout when 'approve' then 'approved' else 'denied' end,
        approval_decided_at = ${at}, approval_reason = case v.approval_on_timeout when 'approve' then null else ${APPROVAL_TIMED_OUT_REASON} end,
        approval_with_series = b.series_id is not null,
        status = case v.approval_on_timeout when 'approve' then b.status else 'cancelled' end,
        cancelled_at = case v.approval_on_timeout when 'approve' then b.cancelled_at else ${at} end,
        cancel_reason = case v.approval_on_timeout when 'approve' then b.cancel_reason else ${APPROVAL_TIMED_OUT_REASON} end,
        updated_at = now()
      from venues v
      where ${own?.series_id ? tx`(b.id = ${id} or b.series_id = ${own.series_id})` : tx`b.id = ${id}`}
        and v.id = b.venue_id and b.approval_status = 'pending' and b.status = 'active' and b.approval_deadline <= ${at}
      returning b.id, v.approval_on_timeout as outcome, b.venue_id, lower(b.during) as starts_at, upper(b.during) as ends_at`;
    for (const row of decided) {
      if (row.outcome === 'deny')
        await releaseSlot(tx, { venueId: row.venue_id, startsAt: row.starts_at, endsAt: row.ends_at });
    }
    return decided.some((row) => row.id === id);
  }) as Promise<boolean>;
}
