import type { Sql } from './sql';

export const NOTIFICATION_TYPES = [
  'booking_confirmed', 'booking_cancelled', 'booking_auto_cancelled', 'new_booking', 'venue_assigned',
  'user_created', 'booking_reminder', 'waitlist_slot_available', 'waitlist_offer_expired', 'system',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export interface NewNotification {
  userId: number;
  type: NotificationType;
  title: string;
  message: string;
  link?: string;
  /** Names the event, e.g. `booking:42:confirmed:7`; a second insert with the same key is ignored. */
  eventKey: string;
}

export const NOTIFICATION_CHANNEL = 'bookit_notifications';

/**
 * Inserts the row unless its event already produced one, and tells every API process through
 * NOTIFY (delivered on commit) so open streams hear of it at once. Returns the new id, or null.
 */
export async function insertNotification(sql: Sql, n: NewNotification): Promise<number | null> {
  const [row] = await sql<{ id: number }[]>`
    with inserted as (
      insert into notifications (user_id, notification_type, title, message, link, event_key)
      values (${n.userId}, ${n.type}, ${n.title}, ${n.message}, ${n.link ?? ''}, ${n.eventKey})
      on conflict (event_key) do nothing
      returning id, user_id
    )
    select id, pg_notify(${NOTIFICATION_CHANNEL}, json_build_object('user_id', user_id, 'id', id)::text) from inserted`;
  return row?.id ?? null;
}
