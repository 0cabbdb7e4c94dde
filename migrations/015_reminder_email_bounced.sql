-- A reminder whose email bounced (or was held back because the address had bounced before) asked
-- nobody by email: the booking is then never cancelled for silence (its stored deadline moves to
-- its start), the in-app reminder stands, and the booking says why. Null for every other booking.
ALTER TABLE bookings ADD COLUMN reminder_email_bounced_at timestamptz;
