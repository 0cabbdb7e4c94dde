-- Check-in and no-show release. A venue may require the booker to check in within a window around
-- the start; a confirmed booking not checked in by the window's end is released as a no-show and the
-- rest of its time goes to the waitlist.

ALTER TABLE venues
  ADD COLUMN check_in_required     boolean  NOT NULL DEFAULT false,
  -- The window: from this long before the start until this long after it (never past the end).
  ADD COLUMN check_in_opens_before interval NOT NULL DEFAULT interval '15 minutes',
  ADD COLUMN check_in_closes_after interval NOT NULL DEFAULT interval '15 minutes',
  ADD CONSTRAINT venues_check_in_window CHECK (
    check_in_opens_before BETWEEN interval '0' AND interval '1 day'
    AND check_in_closes_after BETWEEN interval '1 minute' AND interval '1 day');

ALTER TABLE bookings
  ADD COLUMN checked_in_at timestamptz,
  ADD COLUMN no_show       boolean NOT NULL DEFAULT false,
  ADD COLUMN no_show_at    timestamptz;

-- No-show counts per member at a venue, for its hall admins.
CREATE INDEX bookings_no_shows ON bookings (venue_id, user_id) WHERE no_show;

ALTER TABLE notifications DROP CONSTRAINT notifications_notification_type_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_notification_type_check CHECK (notification_type IN (
  'booking_confirmed', 'booking_cancelled', 'booking_auto_cancelled', 'new_booking', 'venue_assigned',
  'user_created', 'booking_reminder', 'waitlist_slot_available', 'waitlist_offer_expired', 'system',
  'booking_rescheduled', 'booking_no_show'));
