import type { Queryable, Sql } from '../db/sql';
import { codeOf } from '../db/error-codes';
import { invalid } from '../domain/errors';
import {
  CHANNEL_WORDS,
  CHANNELS,
  channelDefault,
  PREFERENCE_TYPE_NAMES,
  preferenceTypeInfo,
  type Audience,
  type Channel,
  type PreferenceType,
} from './catalogue';
import { mutedVenueIds } from './venue-mutes';

// Owns notification_preferences: every statement on it is here or in decide.ts.

/** One type as the settings page shows it: the user's choice per channel, or the default where they made none. */
export interface PreferenceView {
  type: PreferenceType;
  label: string;
  description: string;
  audience: Audience;
  critical: boolean;
  /** null for a channel the type does not come on. */
  channels: Record<Channel, { enabled: boolean; default: boolean } | null>;
}

export interface PreferencesView {
  types: PreferenceView[];
  /** Venues whose new-booking alerts the user muted (only hall admins have any). */
  mutedVenueIds: number[];
}

/** A partial change: for each type named, the channels to turn on (true) or off (false). */
export type PreferenceChanges = Partial<Record<PreferenceType, Partial<Record<Channel, boolean>>>>;

interface StoredChoice {
  type: string;
  email: boolean | null;
  in_app: boolean | null;
}

export async function preferencesOf(sql: Queryable, userId: number): Promise<PreferencesView> {
  const [rows, muted] = await Promise.all([
    sql<StoredChoice[]>`select type, email, in_app from notification_preferences where user_id = ${userId}`,
    mutedVenueIds(sql, userId),
  ]);
  const chosen = new Map(rows.map((row) => [row.type, row]));
  const types = PREFERENCE_TYPE_NAMES.map((type): PreferenceView => {
    const info = preferenceTypeInfo(type);
    const channelView = (channel: Channel) => {
      const fallback = channelDefault(type, channel);
      if (fallback === null) return null;
      return { enabled: chosen.get(type)?.[channel] ?? fallback, default: fallback };
    };
    return {
      type,
      label: info.label,
      description: info.description,
      audience: info.audience,
      critical: info.critical,
      channels: { email: channelView('email'), in_app: channelView('in_app') },
    };
  });
  return { types, mutedVenueIds: muted };
}

/**
 * Applies a partial change, all of it or none: one upsert per type named, in one transaction. A
 * channel the type does not come on is refused, and so is a critical type left off on both
 * channels; the database's check refuses that one too, so two concurrent changes cannot get past it.
 */
export async function updatePreferences(sql: Sql, userId: number, changes: PreferenceChanges): Promise<void> {
  const entries = Object.entries(changes) as Array<[PreferenceType, Partial<Record<Channel, boolean>>]>;
  for (const [type, change] of entries) {
    for (const channel of CHANNELS) {
      if (change[channel] !== undefined && channelDefault(type, channel) === null) {
        throw invalid(
          `${type} has no ${channel === 'email' ? 'email' : 'in-app'} channel; it comes only as ${onlyChannelOf(type)}`,
        );
      }
    }
  }
  await sql.begin(async (tx) => {
    for (const [type, change] of entries) {
      const email = change.email ?? null;
      const inApp = change.in_app ?? null;
      if (email === null && inApp === null) continue;
      try {
        await tx`
          insert into notification_preferences (user_id, type, email, in_app)
          values (${userId}, ${type}, ${email}, ${inApp})
          on conflict (user_id, type) do update set
            email = coalesce(${email}::boolean, notification_preferences.email),
            in_app = coalesce(${inApp}::boolean, notification_preferences.in_app),
            updated_at = now()`;
      } catch (error) {
        if (codeOf(error) === '23514') {
          throw invalid(
            `${type} keeps your bookings and account running and cannot be turned off on both channels; keep email or in-app on`,
          );
        }
        throw error;
      }
    }
  });
}

function onlyChannelOf(type: PreferenceType): string {
  return CHANNELS.filter((channel) => channelDefault(type, channel) !== null)
    .map((channel) => CHANNEL_WORDS[channel])
    .join(' and ');
}
