import { signActionToken, type LinkAction } from '../src/auth/action-tokens';
import type { SealingKey } from '../src/auth/sealed-box';
import type { SigningKey } from '../src/auth/tokens';
import { describeDuration } from '../src/config/duration';
import { findBookingDetails, type BookingDetails } from '../src/bookings/details';
import { findUser } from '../src/db/users';
import { findVenue } from '../src/db/venues';
import { findWaitlistEntryDetails } from '../src/waitlist/details';
import { renderEmail, type EmailContent, type RenderedEmail } from '../src/mail/render';
import { welcomePasswordFor } from '../src/users/welcome-password';
import { bookingInvitation, calendarIdentity, type Invitation } from '../src/calendar/booking-calendar';
import type { EmailDeliveryRequest } from '../workflows/email-types';
import type { ActivityDeps } from './deps';
import { composeDailyDigestEmail } from './daily-digest-email';
import { reminderDeadline } from './notification-composer';

export interface ComposedEmail extends RenderedEmail {
  to: string;
  /** The booking's calendar invitation (invite.ics), for the emails that make, move or cancel it. */
  invitation?: Invitation;
}

/** Keys derived once per worker from JWT_SECRET: link tokens are signed, welcome passwords sealed with them. */
export interface ComposerKeys {
  action: SigningKey;
  welcomePassword: SealingKey;
}

/**
 * Loads what an email needs from current rows and renders it. Null when the email no longer
 * applies (a reminder for a booking already confirmed, an offer no longer open). Passwords and
 * link tokens are made here, inside the sending activity, and never leave it.
 */
export async function composeEmail(deps: ActivityDeps, keys: ComposerKeys, { key: emailKey, email: spec }: EmailDeliveryRequest): Promise<ComposedEmail | null> {
  const actionKey = keys.action;
  const { sql, config } = deps;
  const base = config.http.publicBaseUrl;
  const actionUrl = async (action: LinkAction, targetId: number, userId: number, expiresAt: Date, scheduleVersion?: number) =>
    `${base}/actions/${await signActionToken(actionKey, { action, targetId, userId, scheduleVersion }, expiresAt)}`;
  const render = (to: string, content: EmailContent): ComposedEmail => ({ to, ...renderEmail(content) });
  const slotOf = (b: BookingDetails) => ({ start: b.starts_at, end: b.ends_at, timeZone: b.time_zone });
  // Every link opens a page of the web app.
  const bookingUrl = (id: number) => `${base}/bookings/${id}`;

  switch (spec.kind) {
    case 'welcome': {
      const user = await findUser(sql, spec.userId);
      if (!user || !user.is_active) return null;
      // One password per welcome email, the same in every attempt, never over one the user chose.
      const password = await welcomePasswordFor({ sql, sealingKey: keys.welcomePassword, passwordHashCost: config.auth.passwordHashCost }, user.id, emailKey);
      if (password === null) return null;
      return render(user.email, { kind: 'welcome', fullName: user.full_name, email: user.email, password, signInUrl: `${base}/sign-in` });
    }
    case 'venue_assigned': {
      const [user, venue] = await Promise.all([findUser(sql, spec.userId), findVenue(sql, spec.venueId)]);
      if (!user || !venue || !user.is_active) return null;
      return render(user.email, { kind: 'venue_assigned', adminName: user.full_name, venueName: venue.name, location: venue.location, venueBookingsUrl: `${base}/venue-bookings` });
    }
    case 'waitlist_slot_available': {
      const entry = await findWaitlistEntryDetails(sql, spec.entryId);
      if (!entry || entry.status !== 'offered' || !entry.offer_expires_at) return null;
      return render(entry.user_email, {
        kind: 'waitlist_slot_available',
        waiterName: entry.user_name,
        venueName: entry.venue_name,
        slot: { start: entry.starts_at, end: entry.ends_at, timeZone: entry.time_zone },
        claimBy: entry.offer_expires_at,
        offerWindow: describeDuration(config.lifecycle.offerWindowMs),
        claimUrl: await actionUrl('claim', entry.id, entry.user_id, entry.offer_expires_at),
      });
    }
    case 'daily_digest':
      return composeDailyDigestEmail(deps, spec);
    default:
      break;
  }

  const booking = await findBookingDetails(sql, spec.bookingId);
  if (!booking) return null;
  const common = { eventName: booking.event_name, venueName: booking.venue_name, slot: slotOf(booking) };
  const leads = { reminderLead: describeDuration(config.lifecycle.reminderLeadMs), confirmDeadlineLead: describeDuration(config.lifecycle.confirmDeadlineMs) };
  // The invitation is made from the row as it is now: its time, and the SEQUENCE of its schedule version.
  const invitation = (method: Invitation['method']) => bookingInvitation(booking, method, calendarIdentity(config));
  switch (spec.kind) {
    case 'booking_confirmed':
      return {
        ...render(booking.user_email, { kind: 'booking_confirmed', ...common, bookerName: booking.user_name, bookingId: booking.id, bookingUrl: bookingUrl(booking.id), ...leads }),
        invitation: booking.status === 'active' ? invitation('REQUEST') : undefined,
      };
    case 'booking_rescheduled':
      // Moved again (or cancelled) since: the later notice tells of it.
      if (booking.status !== 'active' || booking.schedule_version !== spec.scheduleVersion) return null;
      return {
        ...render(booking.user_email, { kind: 'booking_rescheduled', ...common, bookerName: booking.user_name, bookingId: booking.id, bookingUrl: bookingUrl(booking.id), ...leads }),
        invitation: invitation('REQUEST'),
      };
    case 'hall_admin_new_booking': {
      const admin = await findUser(sql, spec.adminId);
      if (!admin || !admin.is_active) return null;
      return render(admin.email, {
        kind: 'hall_admin_new_booking', ...common, adminName: admin.full_name, bookerName: booking.user_name, bookerEmail: booking.user_email,
        eventDetails: booking.event_details, bookingUrl: bookingUrl(booking.id),
      });
    }
    case 'booking_cancelled': {
      const recipient = await findUser(sql, spec.recipientId);
      if (!recipient) return null;
      const by = booking.cancelled_by === recipient.id ? 'you' : (booking.cancelled_by_name ?? 'an administrator');
      return {
        ...render(recipient.email, {
          kind: 'booking_cancelled', ...common, recipientName: recipient.full_name, cancelledByName: by, reason: booking.cancel_reason, eventDetails: booking.event_details,
        }),
        // Only the booker's calendar holds the event.
        invitation: booking.status === 'cancelled' && recipient.id === booking.user_id ? invitation('CANCEL') : undefined,
      };
    }
    case 'booking_reminder': {
      if (booking.status !== 'active' || booking.confirmed) return null;
      return render(booking.user_email, {
        kind: 'booking_reminder', ...common, bookerName: booking.user_name,
        confirmBy: reminderDeadline(booking, config.lifecycle.confirmDeadlineMs),
        // Bound to the schedule this email describes: after a reschedule they act on nothing.
        confirmUrl: await actionUrl('confirm', booking.id, booking.user_id, booking.starts_at, booking.schedule_version),
        cancelUrl: await actionUrl('cancel', booking.id, booking.user_id, booking.starts_at, booking.schedule_version),
        checkIn: booking.check_in_opens_at && booking.check_in_closes_at
          ? { url: await actionUrl('check_in', booking.id, booking.user_id, booking.check_in_closes_at, booking.schedule_version), opensAt: booking.check_in_opens_at, closesAt: booking.check_in_closes_at }
          : null,
      });
    }
    case 'booking_no_show': {
      const recipient = await findUser(sql, spec.recipientId);
      if (!recipient || !recipient.is_active || !booking.no_show) return null;
      const toBooker = recipient.id === booking.user_id;
      return {
        ...render(recipient.email, {
          kind: 'booking_no_show', ...common, recipientName: recipient.full_name, toBooker, bookerName: booking.user_name,
          closedAt: booking.check_in_closes_at ?? booking.no_show_at ?? booking.starts_at, bookingUrl: bookingUrl(booking.id),
        }),
        // The booker's calendar holds the event from the invitation: take it out.
        invitation: toBooker ? invitation('CANCEL') : undefined,
      };
    }
    case 'booking_auto_cancelled':
      return {
        ...render(booking.user_email, {
          kind: 'booking_auto_cancelled', ...common, bookerName: booking.user_name,
          reason: booking.auto_cancel_reason ?? 'The booking was not confirmed in time.',
          bookAgainUrl: `${base}/book`,
        }),
        invitation: booking.status === 'cancelled' ? invitation('CANCEL') : undefined,
      };
  }
}
