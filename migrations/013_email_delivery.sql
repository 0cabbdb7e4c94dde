-- Every email says where it stands: queued (its first attempt is under way), sent, deferred (a
-- transient failure; Temporal retries it), bounced (a permanent 5xx refusal of the recipient or the
-- message), suppressed (held back: the recipient's preferences, or an address that bounced), failed
-- (given up after 24 hours). 'pending' said both "never tried" and "retrying"; the rows split by
-- whether an attempt has already failed.
ALTER TABLE email_log DROP CONSTRAINT email_log_status_check;
UPDATE email_log SET status = CASE WHEN attempts > 0 AND last_error IS NOT NULL THEN 'deferred' ELSE 'queued' END
WHERE status = 'pending';
ALTER TABLE email_log ALTER COLUMN status SET DEFAULT 'queued';
ALTER TABLE email_log ADD CONSTRAINT email_log_status_check
  CHECK (status IN ('queued', 'sent', 'deferred', 'bounced', 'suppressed', 'failed'));

-- Which SMTP server gave the email its final answer: sent through, or bounced by. Null before then
-- (and for rows older than the backup server, all of which went through the one server there was).
ALTER TABLE email_log ADD COLUMN sent_via text CHECK (sent_via IN ('primary', 'fallback'));

-- Addresses a server refused for good (SMTP 5xx to RCPT TO, DATA or the end of the data). Every
-- later email to one is logged suppressed and never sent, so a dead mailbox is not hammered and
-- the relay's reputation is kept; setting a user's address (to a new one, or the same one again
-- once it is fixed) lifts it. Stored lowercased: addresses differ from users.email only in case.
CREATE TABLE email_suppressions (
  address    text PRIMARY KEY CHECK (address = lower(address)),
  -- The server's answer, e.g. "550 No such mailbox here".
  reason     text NOT NULL,
  bounced_at timestamptz NOT NULL DEFAULT now(),
  -- The email that bounced first (email_log.idempotency_key), for operators tracing it.
  first_key  text NOT NULL
);
