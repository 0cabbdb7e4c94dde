import { apiCall } from './authorized-fetch';
import type { Message, Venue } from './types';

/** PATCH /api/venues/{id}: what a venue is; `archived` only a super admin may change. */
export interface VenueChanges {
  name?: string;
  location?: string;
  capacity?: number | null;
  building?: string;
  floor?: string;
  description?: string;
  /** By name, from GET /api/amenities: replaces the list. */
  amenities?: string[];
  archived?: boolean;
}

export const updateVenue = (venueId: number, changes: VenueChanges) =>
  apiCall<Venue>(`/api/venues/${venueId}`, { method: 'PATCH', body: changes });

/** Open on a weekday (0 = Sunday) from `opens` to `closes`, "HH:MM:SS" on the venue's clock ("24:00:00" at midnight). */
export interface OpeningHours {
  weekday: number;
  opens: string;
  closes: string;
}

export interface Closure {
  id: number;
  /** Venue-local YYYY-MM-DD, both closed. */
  first: string;
  last: string;
  reason: string;
}

/** The venue's own settings, in minutes; null keeps the deployment's default, 0 is no limit. */
export interface OwnRules {
  min_notice_minutes: number | null;
  max_advance_minutes: number | null;
  min_duration_minutes: number | null;
  max_duration_minutes: number | null;
  setup_buffer_minutes: number | null;
  teardown_buffer_minutes: number | null;
  max_upcoming: number | null;
  max_hours_per_week: number | null;
  hall_admins_edit: boolean;
}

/** GET /api/venues/{id}/rules. */
export interface VenueRules {
  venue_id: number;
  /** What applies now: ISO 8601 durations (PT4H), counts, null for no limit. */
  in_force: {
    min_notice: string | null;
    max_advance: string | null;
    min_duration: string | null;
    max_duration: string | null;
    setup_buffer: string | null;
    teardown_buffer: string | null;
    max_upcoming: number | null;
    max_upcoming_in_all: number | null;
    max_hours_per_week: number | null;
    /** Who may book (its staff always may); null: everyone. */
    booking_roles: string[] | null;
    restricted: boolean;
  };
  own: OwnRules;
  /** One entry per open weekday; none at all: open round the clock. */
  hours: OpeningHours[];
  closures: Closure[];
  bookers: number[];
}

/** PATCH /api/venues/{id}/rules: only the fields given change. */
export type RuleChanges = Partial<OwnRules> & {
  booking_roles?: string[] | null;
  restricted?: boolean;
  hours?: Array<{ weekday: number; opens: string; closes: string }>;
};

export const fetchVenueRules = (venueId: number) => apiCall<VenueRules>(`/api/venues/${venueId}/rules`);

export const updateVenueRules = (venueId: number, changes: RuleChanges) =>
  apiCall<VenueRules>(`/api/venues/${venueId}/rules`, { method: 'PATCH', body: changes });

/** A booking a closure would cancel, as the 409 lists it (venue-local date and times). */
export interface ClosedOutBooking {
  id: number;
  date: string;
  start_time: string;
  end_time: string;
  event_name: string;
  user_name: string;
}

export interface NewClosure {
  first: string;
  last: string;
  reason: string;
  /** Cancel the bookings it covers; without it, a 409 lists them (its body's `bookings`). */
  cancel_bookings?: boolean;
}

export const addClosure = (venueId: number, closure: NewClosure) =>
  apiCall<Closure & { cancelled: number[]; waits_closed: number[] }>(`/api/venues/${venueId}/closures`, {
    method: 'POST',
    body: closure,
  });

export const removeClosure = (venueId: number, closureId: number) =>
  apiCall<Message>(`/api/venues/${venueId}/closures/${closureId}`, { method: 'DELETE' });
