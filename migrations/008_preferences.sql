-- Who hears of what, and how: per user, per notification type, per channel (email, in-app).
-- A row holds only the choices a user made; a null channel means the type's default (on), so a
-- later change of default reaches everyone who never chose.
CREATE TABLE notification_preferences (
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  type       text NOT NULL,
  email      boolean,
  in_app     boolean,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, type),
  -- The lifecycle-critical types (the reminder with its Confirm link, the auto-cancel, the waitlist
  -- offer, the welcome) always reach the user on at least one channel. Both channels default to on,
  -- so "off on both" is exactly both stored false; two concurrent changes cannot get past it.
  -- The list is CRITICAL_TYPES in src/preferences/catalogue.ts.
  CONSTRAINT notification_preferences_critical_reachable CHECK (
    type NOT IN ('booking_reminder', 'booking_auto_cancelled', 'waitlist_slot_available', 'welcome')
    OR coalesce(email, true) OR coalesce(in_app, true))
);

-- A hall admin's venues whose new-booking alerts (email and in-app) they do not want.
CREATE TABLE venue_alert_mutes (
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  venue_id   bigint NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, venue_id)
);

-- An email its recipient's preferences held back is logged 'suppressed', with the sentence saying why.
ALTER TABLE email_log DROP CONSTRAINT email_log_status_check;
ALTER TABLE email_log ADD CONSTRAINT email_log_status_check CHECK (status IN ('pending', 'sent', 'failed', 'suppressed'));
ALTER TABLE email_log ADD COLUMN suppressed_reason text;
