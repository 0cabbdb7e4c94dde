-- What the waiter meant to book: the booking a claimed offer becomes carries it (null for entries
-- made before, which keep the generic name).
ALTER TABLE waitlist_entries
  ADD COLUMN event_name    text CHECK (length(event_name) BETWEEN 1 AND 200),
  ADD COLUMN event_details text NOT NULL DEFAULT '' CHECK (length(event_details) <= 5000);
