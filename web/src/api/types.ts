// The API's answers under the names the web app uses. Each is the server's own schema, from
// schema.gen.ts (generated from /openapi.json by `npm run api-types`), never restated by hand: a
// change on the server shows up here as a type error, not as a field that never arrives. A name with
// no component of its own is a part of one, or the documented answer of one path.
import type { AnswerOf } from './operations';
import type { components } from './schema.gen';

type Schemas = components['schemas'];

export type User = Schemas['User'];
export type Role = User['role'];
export type Me = Schemas['Me'];
export type LoginAnswer = Schemas['LoginResponse'];
export type RefreshAnswer = Schemas['RefreshResponse'];
export type PasswordChanged = Schemas['PasswordChangedResponse'];
export type SignedOut = Schemas['SignedOut'];
/** How one signs in here: password, single sign-on, or single sign-on with a break-glass password. */
export type SignInMethods = Schemas['SignInMethods'];
export type Message = Schemas['Message'];
export type CountedMessage = Schemas['CountedMessage'];

export type Booking = Schemas['Booking'];
/** Where a booking stands, in one word: pending_approval, awaiting_confirmation, confirmed, checked_in, no_show, cancelled, completed. */
export type BookingState = Booking['state'];
export type CancelledBooking = AnswerOf<'/api/bookings/{id}/cancel', 'post'>;
export type Confirmed = AnswerOf<'/api/bookings/{id}/confirm', 'post'>;

export type SeriesConflict = Schemas['SeriesConflict'];
export type SeriesCreated = Schemas['BookingSeriesCreated'];
export type SeriesOccurrence = Schemas['SeriesOccurrence'];
export type SeriesMoved = Schemas['BookingSeriesChanged'];
export type BookingSeries = Schemas['BookingSeries'];

export type Venue = Schemas['Venue'];
export type ApprovalRule = Schemas['ApprovalRule'];
export type CheckInRule = Schemas['CheckInRule'];
export type ApprovalRequest = Schemas['ApprovalRequest'];
export type NoShowCount = Schemas['NoShowCount'];
export type VenueSchedule = Schemas['VenueSchedule'];

export type WaitlistEntry = Schemas['WaitlistEntry'];
export type WaitingEntry = Schemas['WaitingEntry'];
export type CheckAndJoinAnswer = Schemas['CheckAndJoinAnswer'];
export type Claimed = Schemas['ClaimedOffer'];

export type AppNotification = Schemas['Notification'];

export type AdminUser = Schemas['AdminUser'];
/** active: may sign in and has; never_signed_in: active, the welcome's password still theirs; deactivated: may not sign in. */
export type UserStatus = AdminUser['status'];
export type BroadcastAccepted = Schemas['BroadcastAccepted'];
export type EmailLogEntry = Schemas['EmailLogEntry'];
export type EmailStatus = EmailLogEntry['status'];

export type Preferences = Schemas['Preferences'];
export type PreferenceType = Schemas['PreferenceType'];
export type PreferenceChannel = keyof PreferenceType['channels'];
export type PreferenceChanges = Schemas['UpdatePreferencesRequest'];

export type CalendarFeed = Schemas['CalendarFeed'];
export type NewCalendarFeed = Schemas['NewCalendarFeed'];

export type FreeVenue = Schemas['FreeVenue'];
export type GridVenue = Schemas['GridVenue'];
export type GridDay = Schemas['GridDay'];
export type GridBlock = Schemas['GridBlock'];
