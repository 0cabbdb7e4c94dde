-- A booking reminded late (the stack was down across its reminder time, or it was made just over
-- the deadline's lead before its start) keeps a minimum window to answer: the deadline it was told
-- is stored with the reminder, and the lifecycle and every view read it from here. Null until the
-- reminder goes out (until then the deadline is the start minus BOOKIT_CONFIRM_DEADLINE); at or past
-- the start, the booking is never cancelled for silence.
ALTER TABLE bookings ADD COLUMN confirm_deadline timestamptz;

-- An offer may name only part of the waiter's interval: after a no-show, the rest of a slot that has
-- begun. Null when the offer is for the whole interval (every offer made before this column).
ALTER TABLE waitlist_entries ADD COLUMN offered_during tstzrange;
