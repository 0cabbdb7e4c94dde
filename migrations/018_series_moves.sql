-- A series moved ("this and following", "all") moves each of its occurrences: the schedule version
-- the series' move gave the booking, so that move is told once by the series' notice and not again
-- by each occurrence's own "moved" notice. Null after a move of the booking alone.
ALTER TABLE bookings ADD COLUMN moved_with_series_version integer;
