import { adminDayAgenda } from '../src/bookings/day-agenda';
import { findUser } from '../src/db/users';
import { renderEmail, type RenderedEmail } from '../src/mail/render';
import type { DueDigest } from '../workflows/daily-digest-types';
import type { ActivityDeps } from './deps';

/**
 * A hall admin's daily digest from the rows as they stand when it is sent (a booking cancelled
 * since 07:00 is left out), or null when it no longer applies: nothing left that day, or the
 * admin deactivated.
 */
export async function composeDailyDigestEmail({ sql, config }: ActivityDeps, digest: DueDigest): Promise<(RenderedEmail & { to: string }) | null> {
  const admin = await findUser(sql, digest.adminId);
  if (!admin || !admin.is_active) return null;
  const agenda = await adminDayAgenda(sql, digest);
  if (agenda.length === 0) return null;
  const rendered = renderEmail({
    kind: 'daily_digest',
    adminName: admin.full_name,
    localDate: digest.localDate,
    timeZone: digest.timeZone,
    bookings: agenda.map((booking) => ({
      venueName: booking.venue_name,
      eventName: booking.event_name,
      bookerName: booking.booker_name,
      slot: { start: booking.starts_at, end: booking.ends_at, timeZone: digest.timeZone },
      confirmBy: booking.confirmed ? null : new Date(booking.starts_at.getTime() - config.lifecycle.confirmDeadlineMs),
    })),
    // The web app's page of the venues an admin runs, as the venue-assigned email links it.
    bookingsUrl: `${config.http.publicBaseUrl}/venue-bookings`,
  });
  return { to: admin.email, ...rendered };
}
