import type postgres from 'postgres';
import type { Queryable } from '../db/sql';
import { CHANNEL_WORDS, channelDefault, type Channel, type PreferenceType } from './catalogue';

/** Whether a message goes out; when it does not, the sentence the email log and the logs record. */
export type Decision = { send: true } | { send: false; reason: string };

export interface DecideOptions {
  /** For `new_booking`: the venue booked, so a hall admin's mute of that venue holds the alert back. */
  venueId?: number;
}

/**
 * Whether `userId` wants a message of `type` on `channel`, from their stored choice or the type's
 * default, and for a new-booking alert whether they muted its venue. The one place sending is
 * decided: activities ask it right before they write an in-app row or send an email, never a
 * workflow, so a change of preference never changes what a workflow replays.
 *
 * ```ts
 * const decision = await decide(sql, adminId, 'daily_digest', 'email');
 * if (!decision.send) await markEmailSuppressed(sql, { key, template: 'daily_digest', recipient, reason: decision.reason });
 * ```
 */
export async function decide(
  sql: Queryable,
  userId: number,
  type: PreferenceType,
  channel: Channel,
  options: DecideOptions = {},
): Promise<Decision> {
  const fallback = channelDefault(type, channel);
  if (fallback === null) return { send: false, reason: `${type} is not sent as ${CHANNEL_WORDS[channel]}` };
  const venueId = type === 'new_booking' ? (options.venueId ?? null) : null;
  const [row] = await sql<{ chosen: boolean | null; muted_venue: string | null }[]>`
    select
      (select ${sql(channel)} from notification_preferences where user_id = ${userId} and type = ${type}) as chosen,
      (select v.name from venue_alert_mutes m join venues v on v.id = m.venue_id
        where m.user_id = ${userId} and m.venue_id = ${venueId}) as muted_venue`;
  if (row?.muted_venue != null)
    return { send: false, reason: `hall admin muted new-booking alerts for ${row.muted_venue}` };
  if (!(row?.chosen ?? fallback))
    return { send: false, reason: `the recipient turned off ${type} ${CHANNEL_WORDS[channel]}` };
  return { send: true };
}

/**
 * The same rule as a condition on a user id column, for statements that write to many users at
 * once (a broadcast's batch): true where the user wants `type` on `channel`.
 */
export function receives(
  sql: Queryable,
  userIdColumn: postgres.Fragment,
  type: PreferenceType,
  channel: Channel,
): postgres.Fragment {
  const fallback = channelDefault(type, channel) ?? false;
  return sql`coalesce((select p.${sql(channel)} from notification_preferences p where p.user_id = ${userIdColumn} and p.type = ${type}), ${fallback})`;
}
