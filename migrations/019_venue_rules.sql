-- What a venue is (beyond its name and zone) and the rules it lives by.

-- Amenities come from one list the super admins keep; a venue has any of them.
CREATE TABLE amenities (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX amenities_by_name ON amenities (lower(name));
INSERT INTO amenities (name) VALUES
  ('Projector'), ('PA system'), ('Whiteboard'), ('Step-free access'), ('Hearing loop'),
  ('Video conferencing'), ('Lab benches');

CREATE TABLE venue_amenities (
  venue_id   bigint NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
  amenity_id bigint NOT NULL REFERENCES amenities (id) ON DELETE CASCADE,
  PRIMARY KEY (venue_id, amenity_id)
);
CREATE INDEX venue_amenities_by_amenity ON venue_amenities (amenity_id);

ALTER TABLE venues
  ADD COLUMN building    text NOT NULL DEFAULT '' CHECK (length(building) <= 200),
  ADD COLUMN floor       text NOT NULL DEFAULT '' CHECK (length(floor) <= 50),
  ADD COLUMN description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
  -- Archived: no new bookings; its history stays.
  ADD COLUMN archived_at timestamptz;

-- Opening hours per weekday (0 = Sunday … 6 = Saturday) on the venue's clock; a weekday without a
-- row is closed, and a venue without any row is open round the clock.
CREATE TABLE venue_hours (
  venue_id bigint NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
  weekday  smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  opens    time NOT NULL,
  closes   time NOT NULL CHECK (closes > opens),
  PRIMARY KEY (venue_id, weekday)
);

-- Closed on these venue-local dates (inclusive), with why.
CREATE TABLE venue_closures (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  venue_id   bigint NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
  dates      daterange NOT NULL CHECK (NOT isempty(dates)),
  reason     text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  created_by bigint REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX venue_closures_by_venue ON venue_closures USING gist (venue_id, dates);

-- A venue's own rules; a null keeps the deployment's default (BOOKIT_RULE_*).
CREATE TABLE venue_rules (
  venue_id              bigint PRIMARY KEY REFERENCES venues (id) ON DELETE CASCADE,
  min_notice            interval,
  max_advance           interval,
  min_duration          interval,
  max_duration          interval,
  setup_buffer          interval,
  teardown_buffer       interval,
  max_upcoming          integer CHECK (max_upcoming > 0),
  max_hours_per_week    numeric(6, 2) CHECK (max_hours_per_week > 0),
  -- Who may book: these roles, or (restricted) only the members listed in venue_bookers.
  booking_roles         text[],
  restricted            boolean NOT NULL DEFAULT false,
  -- Its hall admins may change these rules, hours and closures (super admins always may).
  hall_admins_edit      boolean NOT NULL DEFAULT true,
  updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE venue_bookers (
  venue_id   bigint NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (venue_id, user_id)
);

-- A booking blocks its time plus the venue's setup and teardown buffers (as they were when it was
-- made); the exclusion constraint covers the blocked range, so two bookings' buffers never overlap.
ALTER TABLE bookings
  ADD COLUMN setup_buffer    interval NOT NULL DEFAULT '0',
  ADD COLUMN teardown_buffer interval NOT NULL DEFAULT '0',
  ADD COLUMN blocked         tstzrange,
  -- A rule a venue's staff waived for this booking, and why.
  ADD COLUMN rule_override_reason text,
  ADD COLUMN rule_override_by     bigint REFERENCES users (id);

CREATE FUNCTION bookings_set_blocked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.blocked := tstzrange(lower(NEW.during) - NEW.setup_buffer, upper(NEW.during) + NEW.teardown_buffer, '[)');
  RETURN NEW;
END $$;
CREATE TRIGGER bookings_blocked BEFORE INSERT OR UPDATE OF during, setup_buffer, teardown_buffer ON bookings
  FOR EACH ROW EXECUTE FUNCTION bookings_set_blocked();

UPDATE bookings SET blocked = during;
ALTER TABLE bookings ALTER COLUMN blocked SET NOT NULL;
ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap;
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (venue_id WITH =, blocked WITH &&) WHERE (status = 'active');
-- Quotas count a member's upcoming bookings.
CREATE INDEX bookings_active_by_user ON bookings (user_id, lower(during)) WHERE status = 'active';
