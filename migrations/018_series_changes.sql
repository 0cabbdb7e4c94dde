-- A series moved ("this and following", "all") moves each of its occurrences: the schedule version
-- the series' move gave the booking, so that move is told once by the series' notice and not again
-- by each occurrence's own "moved" notice. Null after a move of the booking alone.
ALTER TABLE bookings ADD COLUMN moved_with_series_version integer;

-- A date of a repeating request decided with its series (approved or denied as a whole, or by the
-- deadline's default, which comes for all its dates at once): the series' notice tells of it, once.
-- False for a date denied alone.
ALTER TABLE bookings ADD COLUMN approval_with_series boolean NOT NULL DEFAULT false;
