-- The daily digest. One row per hall admin, venue zone and venue-local day whose digest has been
-- decided: by the first schedule run at or past the digest hour, which claims it (claimed_by is that
-- run's id, so its own retried step finds its claims again and any other run finds none). A row
-- means "decided", not "sent": the email log says what was sent; a day with no bookings, or an admin
-- who opted out, is decided and sends nothing.
CREATE TABLE daily_digests (
  admin_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  time_zone  text NOT NULL,
  local_date date NOT NULL,
  claimed_by text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (admin_id, time_zone, local_date)
);
-- Claims older than a month are swept by the digest run itself.
CREATE INDEX daily_digests_by_date ON daily_digests (local_date);
