-- BookIT schema. PostgreSQL owns state; every lifecycle change is a conditional UPDATE on these rows.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE users (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email                text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
  full_name            text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
  role                 text NOT NULL DEFAULT 'member' CHECK (role IN ('super_admin', 'hall_admin', 'member')),
  password_hash        text,
  must_change_password boolean NOT NULL DEFAULT true,
  is_active            boolean NOT NULL DEFAULT true,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));

CREATE TABLE venues (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  location   text NOT NULL DEFAULT '',
  capacity   integer CHECK (capacity > 0),
  time_zone  text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE venue_admins (
  venue_id   bigint NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (venue_id, user_id)
);
CREATE INDEX venue_admins_by_user ON venue_admins (user_id);

CREATE TABLE bookings (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  venue_id           bigint NOT NULL REFERENCES venues (id),
  user_id            bigint NOT NULL REFERENCES users (id),
  event_name         text NOT NULL CHECK (length(event_name) BETWEEN 1 AND 200),
  event_details      text NOT NULL DEFAULT '',
  during             tstzrange NOT NULL CHECK (NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)),
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled', 'completed')),
  -- Bumped by every reschedule, so the workflow can tell which timing its timers belong to.
  schedule_version   integer NOT NULL DEFAULT 1,
  reminder_sent      boolean NOT NULL DEFAULT false,
  reminder_sent_at   timestamptz,
  confirmed          boolean NOT NULL DEFAULT false,
  confirmed_at       timestamptz,
  confirmed_by       bigint REFERENCES users (id),
  auto_cancelled     boolean NOT NULL DEFAULT false,
  auto_cancelled_at  timestamptz,
  auto_cancel_reason text,
  cancelled_at       timestamptz,
  cancelled_by       bigint REFERENCES users (id),
  cancel_reason      text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  -- Double booking is impossible by construction: two active bookings of a venue never overlap.
  CONSTRAINT bookings_no_overlap EXCLUDE USING gist (venue_id WITH =, during WITH &&) WHERE (status = 'active')
);
CREATE INDEX bookings_by_user ON bookings (user_id, id DESC);
CREATE INDEX bookings_by_venue ON bookings (venue_id, id DESC);
CREATE INDEX bookings_active_start ON bookings (lower(during)) WHERE status = 'active';

-- One row per (venue, requested interval): hands out FIFO priorities atomically.
CREATE TABLE waitlist_slots (
  venue_id      bigint NOT NULL REFERENCES venues (id),
  during        tstzrange NOT NULL,
  last_priority integer NOT NULL,
  PRIMARY KEY (venue_id, during)
);

CREATE TABLE waitlist_entries (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  venue_id         bigint NOT NULL REFERENCES venues (id),
  user_id          bigint NOT NULL REFERENCES users (id),
  during           tstzrange NOT NULL CHECK (NOT isempty(during)),
  priority         integer NOT NULL,
  status           text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'offered', 'claimed', 'expired', 'left', 'closed')),
  notified         boolean NOT NULL DEFAULT false,
  notified_at      timestamptz,
  offer_expires_at timestamptz,
  claimed_at       timestamptz,
  booking_id       bigint REFERENCES bookings (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (venue_id, during, priority)
);
CREATE UNIQUE INDEX waitlist_one_open_entry_per_user_slot ON waitlist_entries (venue_id, user_id, during) WHERE status IN ('waiting', 'offered');
CREATE INDEX waitlist_queue ON waitlist_entries (venue_id, priority) WHERE status IN ('waiting', 'offered');
CREATE INDEX waitlist_by_user ON waitlist_entries (user_id, id DESC);

CREATE TABLE notifications (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id           bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  notification_type text NOT NULL CHECK (notification_type IN (
    'booking_confirmed', 'booking_cancelled', 'booking_auto_cancelled', 'new_booking', 'venue_assigned',
    'user_created', 'booking_reminder', 'waitlist_slot_available', 'waitlist_offer_expired', 'system')),
  title             text NOT NULL,
  message           text NOT NULL,
  link              text NOT NULL DEFAULT '',
  is_read           boolean NOT NULL DEFAULT false,
  read_at           timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  -- Names the event that produced the row, so a retried activity never writes it twice.
  event_key         text UNIQUE
);
CREATE INDEX notifications_inbox ON notifications (user_id, id DESC);
-- The unread count is the hottest read: an index-only scan over this partial index answers it.
CREATE INDEX notifications_unread ON notifications (user_id) WHERE NOT is_read;
CREATE INDEX notifications_created ON notifications (created_at);

CREATE TABLE broadcasts (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title           text NOT NULL,
  message         text NOT NULL,
  link            text NOT NULL DEFAULT '',
  created_by      bigint NOT NULL REFERENCES users (id),
  recipient_count integer,
  created_at      timestamptz NOT NULL DEFAULT now(),
  completed_at    timestamptz
);

-- Workflow starts and signals, written in the same transaction as the state they follow from and
-- delivered by the relay, so a 201 never depends on Temporal being up at that moment.
CREATE TABLE outbox (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('start', 'signal', 'signal_with_start')),
  workflow_id  text NOT NULL,
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE delivered_at IS NULL;

CREATE TABLE email_log (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  template        text NOT NULL,
  recipient       text NOT NULL,
  subject         text NOT NULL DEFAULT '',
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  last_error      text,
  message_id      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX email_log_by_status ON email_log (status, id DESC);

-- Single-use tickets that let a browser's EventSource (which cannot send headers) open the stream.
CREATE TABLE stream_tickets (
  ticket_hash text PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
