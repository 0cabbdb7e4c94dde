import type { Queryable } from '../db/sql';
import { findVenue, isVenueAdmin } from '../venues/store';
import { forbidden, notFound } from '../domain/errors';

// Owns venue_alert_mutes: a hall admin's venues whose new-booking alerts they do not want.

export async function mutedVenueIds(sql: Queryable, userId: number): Promise<number[]> {
  const rows = await sql<
    { venue_id: number }[]
  >`select venue_id from venue_alert_mutes where user_id = ${userId} order by venue_id`;
  return rows.map((row) => row.venue_id);
}

/** Only an administrator of the venue may mute or unmute its alerts: 404 for no such venue, 403 for anyone else. */
async function requireVenueAdmin(sql: Queryable, userId: number, venueId: number): Promise<void> {
  if (!(await findVenue(sql, venueId))) throw notFound('Venue');
  if (!(await isVenueAdmin(sql, venueId, userId)))
    throw forbidden('Only a hall admin of this venue can mute its new-booking alerts');
}

/** Mutes the venue's new-booking alerts for this admin; muting twice changes nothing. */
export async function muteVenueAlerts(sql: Queryable, userId: number, venueId: number): Promise<void> {
  await requireVenueAdmin(sql, userId, venueId);
  // Written only while the user still administers the venue, so a dismissal in flight leaves no mute behind.
  await sql`
    insert into venue_alert_mutes (user_id, venue_id)
    select ${userId}, ${venueId} where exists (select 1 from venue_admins where venue_id = ${venueId} and user_id = ${userId})
    on conflict do nothing`;
}

/** The venue's new-booking alerts reach this admin again; unmuting an unmuted venue changes nothing. */
export async function unmuteVenueAlerts(sql: Queryable, userId: number, venueId: number): Promise<void> {
  await requireVenueAdmin(sql, userId, venueId);
  await sql`delete from venue_alert_mutes where user_id = ${userId} and venue_id = ${venueId}`;
}
