-- Private calendar feed URLs (/calendar/<token>.ics): a user's own bookings, or a venue's for one
-- of its hall admins. Only the SHA-256 of the random token is stored; rotation revokes the old one.
CREATE TABLE calendar_feeds (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- null: the user's own bookings; else the venue's, while the user administers it.
  venue_id   bigint REFERENCES venues (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
-- At most one live feed per user and scope: making a new one revokes the old in the same transaction.
CREATE UNIQUE INDEX calendar_feeds_one_live ON calendar_feeds (user_id, coalesce(venue_id, 0)) WHERE revoked_at IS NULL;
