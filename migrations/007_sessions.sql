-- Sessions that end when they should, sign-in that holds against guessing, and a welcome password
-- made once per welcome email.

-- Every access and refresh token carries the version it was issued at; bumping it (password change,
-- sign-out, role change, deactivation, a reused refresh token) ends every older token at once.
ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0;

-- One row per refresh token issued. A token is good once: using it marks it used and issues the
-- next one of the same family; a used token presented again means it was copied.
CREATE TABLE refresh_tokens (
  id         uuid PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  family     uuid NOT NULL,
  used_at    timestamptz,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);

-- Sign-in attempts per account (`account:<email>`), per client address (`address:<ip>`), and the
-- (account, address) pairs that signed in before (`known:<email>|<ip>`). Shared by every API
-- process; a row past expires_at counts as absent and is swept.
CREATE TABLE sign_in_throttle (
  key          text PRIMARY KEY,
  failures     integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  expires_at   timestamptz NOT NULL
);
CREATE INDEX sign_in_throttle_by_expiry ON sign_in_throttle (expires_at);

-- The password of a welcome email between its first attempt and its delivery, sealed with
-- AES-256-GCM (a key derived from JWT_SECRET), so every retry sends the same one. Deleted once sent,
-- given up on or expired. password_hash is the hash it was stored under: when the user's hash is no
-- longer that one, the password was replaced and a late retry sends nothing.
CREATE TABLE welcome_passwords (
  email_key     text PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  sealed        bytea NOT NULL,
  password_hash text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX welcome_passwords_by_expiry ON welcome_passwords (expires_at);

-- A ticket opens a stream only while the sessions it was issued under are still current.
ALTER TABLE stream_tickets ADD COLUMN token_version integer NOT NULL DEFAULT 0;
