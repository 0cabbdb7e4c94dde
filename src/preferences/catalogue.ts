/**
 * Every kind of message a user can hear from BookIT, the channels it comes on and their defaults.
 * The API shows this list with the user's choices filled in; `decide` reads it for what a user
 * never chose.
 */

export const CHANNELS = ['email', 'in_app'] as const;
export type Channel = (typeof CHANNELS)[number];

export type Audience = 'everyone' | 'hall_admins';

export interface PreferenceTypeInfo {
  label: string;
  description: string;
  audience: Audience;
  /** The channels this type comes on, each with whether it is on until the user says otherwise. */
  channels: Partial<Record<Channel, { default: boolean }>>;
  /** Needed to run a booking or an account: never off on every channel (checked in the database too). */
  critical: boolean;
}

const both = { email: { default: true }, in_app: { default: true } };

export const PREFERENCE_TYPES = {
  welcome: {
    label: 'Welcome',
    description: 'Your account is ready, with the password for your first sign-in',
    audience: 'everyone',
    channels: both,
    critical: true,
  },
  booking_confirmed: {
    label: 'Booking made',
    description: 'A booking of yours is in place, with a calendar invitation',
    audience: 'everyone',
    channels: both,
    critical: false,
  },
  booking_rescheduled: {
    label: 'Booking moved',
    description: 'A booking of yours has a new time, with the updated calendar invitation',
    audience: 'everyone',
    channels: both,
    critical: false,
  },
  booking_reminder: {
    label: 'Confirm you still need it',
    description:
      'A booking of yours starts soon: a reminder asking you to confirm you still need it, with its Confirm link',
    audience: 'everyone',
    channels: both,
    critical: true,
  },
  booking_cancelled: {
    label: 'Booking cancelled',
    description: 'A booking of yours was cancelled, with the calendar cancellation',
    audience: 'everyone',
    channels: both,
    critical: false,
  },
  booking_auto_cancelled: {
    label: 'Booking cancelled automatically',
    description: 'A booking of yours was not confirmed in time and was cancelled',
    audience: 'everyone',
    channels: both,
    critical: true,
  },
  booking_no_show: {
    label: 'Released as a no-show',
    description: 'Nobody checked in to a booking in time (yours, or at a venue you administer), so it was released',
    audience: 'everyone',
    channels: both,
    critical: false,
  },
  waitlist_slot_available: {
    label: 'Waitlist offer',
    description: 'A slot you wait for is free, held for you for a short time',
    audience: 'everyone',
    channels: both,
    critical: true,
  },
  waitlist_offer_expired: {
    label: 'Waitlist offer expired',
    description: 'An offer you did not claim passed to the next person',
    audience: 'everyone',
    channels: { in_app: { default: true } },
    critical: false,
  },
  broadcast: {
    label: 'Announcements',
    description: 'Messages from the administrators to every user',
    audience: 'everyone',
    channels: { in_app: { default: true } },
    critical: false,
  },
  new_booking: {
    label: 'New booking at your venue',
    description: 'Someone booked a venue you administer (mute single venues below)',
    audience: 'hall_admins',
    channels: both,
    critical: false,
  },
  venue_assigned: {
    label: 'Venue assigned',
    description: 'You were made an administrator of a venue',
    audience: 'hall_admins',
    channels: both,
    critical: false,
  },
  daily_digest: {
    label: 'Daily digest',
    description:
      "One email each morning (07:00 in the venue's zone) with that day's bookings of your venues and their state",
    audience: 'hall_admins',
    channels: { email: { default: true } },
    critical: false,
  },
} as const satisfies Record<string, PreferenceTypeInfo>;

export type PreferenceType = keyof typeof PREFERENCE_TYPES;

export const PREFERENCE_TYPE_NAMES = Object.keys(PREFERENCE_TYPES) as PreferenceType[];

/** Kept equal to the list in the notification_preferences_critical_reachable check (migrations/008). */
export const CRITICAL_TYPES = PREFERENCE_TYPE_NAMES.filter((type) => PREFERENCE_TYPES[type].critical);

export function preferenceTypeInfo(type: PreferenceType): PreferenceTypeInfo {
  return PREFERENCE_TYPES[type];
}

/** The channel's default for the type, or null when the type does not come on that channel. */
export function channelDefault(type: PreferenceType, channel: Channel): boolean | null {
  const channels: PreferenceTypeInfo['channels'] = PREFERENCE_TYPES[type].channels;
  return channels[channel]?.default ?? null;
}

export const CHANNEL_WORDS: Record<Channel, string> = { email: 'emails', in_app: 'in-app notifications' };
