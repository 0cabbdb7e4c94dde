-- A repeating booking: the rule it was made from (RFC 5545 RRULE, expanded on venue-local dates
-- from first_date, each at start_time–end_time on the venue's clock), and the dates it leaves out
-- (asked to, or taken by someone else when it was made). Each occurrence is a booking of its own,
-- with its own lifecycle, tied to the series by series_id and its local date.
CREATE TABLE booking_series (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  venue_id       bigint NOT NULL REFERENCES venues (id),
  user_id        bigint NOT NULL REFERENCES users (id),
  event_name     text NOT NULL CHECK (length(event_name) BETWEEN 1 AND 200),
  event_details  text NOT NULL DEFAULT '',
  rrule          text NOT NULL,
  first_date     date NOT NULL,
  start_time     time NOT NULL,
  end_time       time NOT NULL,
  excluded_dates date[] NOT NULL DEFAULT '{}',
  -- Cancelled from this date on ("this and following"); null while the whole rule stands.
  ends_before    date,
  cancelled_at   timestamptz,
  -- The calendar event's revision: every change to the series bumps it.
  sequence       integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE bookings
  ADD COLUMN series_id bigint REFERENCES booking_series (id),
  ADD COLUMN occurrence_date date,
  -- Cancelled as part of its series ("this and following", "all"): the series' notice tells of it.
  ADD COLUMN cancelled_with_series boolean NOT NULL DEFAULT false;

CREATE INDEX bookings_by_series ON bookings (series_id, occurrence_date) WHERE series_id IS NOT NULL;
