import type { ActingUser } from '../domain/acting-user';
import { conflict, forbidden, notFound } from '../domain/errors';
import { outbox } from '../db/outbox';
import type { Queryable, Sql, TransactionSql } from '../db/sql';
import { venueLocalSlot } from '../db/venue-local-time';
import { approvalDecidedSignal } from '../contracts/booking-signals';
import { bookingWorkflowId } from '../temporal/workflow-ids';
import { administersVenue } from '../venues/store';
import { findBookingView, type BookingView } from './queries';
import { releaseSlot } from './slot-release';

// Venues whose staff approve each booking: the decision is one conditional UPDATE on a pending
// request (a second decision, or the deadline's default that committed first, changes nothing),
// then the booking's workflow is told to read its row again.

type Decider = Pick<ActingUser, 'id' | 'role'>;

async function pendingAt(sql: Queryable, user: Decider, id: number): Promise<BookingView> {
  const booking = await findBookingView(sql, id);
  if (!booking) throw notFound('Booking');
  if (!(await administersVenue(sql, user, booking.venue))) {
    if (booking.user === user.id) throw forbidden("Only the venue's staff can decide on a booking request");
    throw notFound('Booking');
  }
  return booking;
}

const alreadyDecided = (booking: BookingView | undefined) =>
  conflict(
    booking?.approval_status === 'pending'
      ? 'The booking is no longer active'
      : `The request was already ${booking?.approval_status ?? 'decided'}`,
  );

/** A hall admin of the venue (or a super admin) approves a pending request: the lifecycle goes on from there. */
export async function approveBooking(sql: Sql, user: Decider, id: number): Promise<BookingView> {
  const request = await pendingAt(sql, user, id);
  if (request.series_id !== null && request.approval_status === 'pending')
    throw conflict(
      `This date is part of a repeating request, approved as a whole: approve series ${request.series_id} (a single date can be denied)`,
    );
  return sql.begin(async (tx) => {
    const [changed] = await tx`
      update bookings set approval_status = 'approved', approval_decided_at = now(), approval_decided_by = ${user.id}, updated_at = now()
      where id = ${id} and approval_status = 'pending' and status = 'active'
      returning id`;
    const booking = await findBookingView(tx, id);
    if (!changed) throw alreadyDecided(booking);
    await outbox.signal(tx, approvalDecidedSignal, bookingWorkflowId(id));
    return booking!;
  }) as Promise<BookingView>;
}

/** Denies a pending request with a reason: the booking is cancelled, the requester told why, and the slot offered to waiters. */
export async function denyBooking(sql: Sql, user: Decider, id: number, reason: string | null): Promise<BookingView> {
  await pendingAt(sql, user, id);
  return sql.begin(async (tx) => {
    const [freed] = await tx<{ venue_id: number; starts_at: Date; ends_at: Date }[]>`
      update bookings set approval_status = 'denied', approval_decided_at = now(), approval_decided_by = ${user.id}, approval_reason = ${reason},
        status = 'cancelled', cancelled_at = now(), cancelled_by = ${user.id}, cancel_reason = ${reason ?? 'Not approved'}, updated_at = now()
      where id = ${id} and approval_status = 'pending' and status = 'active'
      returning venue_id, lower(during) as starts_at, upper(during) as ends_at`;
    if (!freed) throw alreadyDecided(await findBookingView(tx, id));
    await outbox.signal(tx, approvalDecidedSignal, bookingWorkflowId(id));
    await releaseSlot(tx, { venueId: freed.venue_id, startsAt: freed.starts_at, endsAt: freed.ends_at });
    return (await findBookingView(tx, id))!;
  }) as Promise<BookingView>;
}

/** A pending request as the Requests inbox lists it. */
export interface ApprovalRequest {
  id: number;
  venue_id: number;
  venue_name: string;
  time_zone: string;
  user_id: number;
  user_name: string;
  event_name: string;
  event_details: string;
  date: string;
  start_time: string;
  end_time: string;
  starts_at: Date;
  ends_at: Date;
  requested_at: Date;
  decide_by: Date;
  on_timeout: 'deny' | 'approve';
  /** A date of a repeating request (decided with its series, deniable alone); null for a single booking. */
  series_id: number | null;
}

/** The pending requests at the venues `user` administers (every venue for a super admin), soonest deadline first. */
export async function pendingRequestsFor(sql: Queryable, user: Decider): Promise<ApprovalRequest[]> {
  return sql<ApprovalRequest[]>`
    select b.id, b.venue_id, v.name as venue_name, v.time_zone, b.user_id, u.full_name as user_name, b.event_name, b.event_details,
      ${venueLocalSlot(sql, { startsAt: sql`lower(b.during)`, endsAt: sql`upper(b.during)` }, sql`v.time_zone`, 'HH24:MI')},
      lower(b.during) as starts_at, upper(b.during) as ends_at, b.approval_requested_at as requested_at, b.approval_deadline as decide_by,
      v.approval_on_timeout as on_timeout, b.series_id
    from bookings b join venues v on v.id = b.venue_id join users u on u.id = b.user_id
    where b.approval_status = 'pending' and b.status = 'active'
      ${user.role === 'super_admin' ? sql`` : sql`and b.venue_id in (select venue_id from venue_admins where user_id = ${user.id})`}
    order by b.approval_deadline, b.series_id nulls first, lower(b.during), b.id`;
}

/**
 * A repeating request decided as a whole: every date still waiting is approved, or denied with a
 * reason (their slots offered to waiters), in one transaction; each date's lifecycle is told, and
 * the series' one notice tells the booker. Answers the bookings decided; none when nothing waited.
 */
export async function decideSeriesOccurrences(
  tx: TransactionSql,
  user: Decider,
  seriesId: number,
  decision: { approve: true } | { approve: false; reason: string | null },
): Promise<number[]> {
  const decided = decision.approve
    ? await tx<{ id: number; venue_id: number; starts_at: Date; ends_at: Date }[]>`
        update bookings set approval_status = 'approved', approval_decided_at = now(), approval_decided_by = ${user.id},
          approval_with_series = true, updated_at = now()
        where series_id = ${seriesId} and approval_status = 'pending' and status = 'active'
        returning id, venue_id, lower(during) as starts_at, upper(during) as ends_at`
    : await tx<{ id: number; venue_id: number; starts_at: Date; ends_at: Date }[]>`
        update bookings set approval_status = 'denied', approval_decided_at = now(), approval_decided_by = ${user.id},
          approval_reason = ${decision.reason}, approval_with_series = true,
          status = 'cancelled', cancelled_at = now(), cancelled_by = ${user.id}, cancel_reason = ${decision.reason ?? 'Not approved'}, updated_at = now()
        where series_id = ${seriesId} and approval_status = 'pending' and status = 'active'
        returning id, venue_id, lower(during) as starts_at, upper(during) as ends_at`;
  for (const row of decided) {
    await outbox.signal(tx, approvalDecidedSignal, bookingWorkflowId(row.id));
    if (!decision.approve)
      await releaseSlot(tx, { venueId: row.venue_id, startsAt: row.starts_at, endsAt: row.ends_at });
  }
  return decided.map((row) => row.id).sort((a, b) => a - b);
}
