-- Single sign-on (OpenID Connect): a venue's stable short name for identity-provider groups, the
-- link from an identity provider's subject to a user, and what RP-initiated logout needs.

-- A venue's slug names it in groups such as `bookit-hall-admin:main-auditorium`. Made from the name
-- when the venue is created and kept when it is renamed, so renaming a venue does not move its hall
-- admins; unique, a clash taking the venue's id as a suffix (`main-hall-7`).
CREATE FUNCTION venue_slug_of(name text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(nullif(trim(BOTH '-' FROM left(regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g'), 60)), ''), 'venue')
  $$;

ALTER TABLE venues ADD COLUMN slug text;
UPDATE venues v SET slug = CASE WHEN s.n = 1 THEN s.base ELSE s.base || '-' || v.id END
FROM (SELECT id, venue_slug_of(name) AS base, row_number() OVER (PARTITION BY venue_slug_of(name) ORDER BY id) AS n FROM venues) s
WHERE s.id = v.id;
ALTER TABLE venues ALTER COLUMN slug SET NOT NULL;
ALTER TABLE venues ADD CONSTRAINT venues_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$');
CREATE UNIQUE INDEX venues_slug_unique ON venues (slug);

-- Every way of creating a venue (the API, fixtures, scripts) gets one. The lock per slug makes a
-- second venue of the same name wait for the first to commit and then see it (each statement of a
-- PL/pgSQL function reads anew under READ COMMITTED), so two at once never clash.
CREATE FUNCTION venues_set_slug() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.slug IS NULL THEN
    NEW.slug := venue_slug_of(NEW.name);
    PERFORM pg_advisory_xact_lock(hashtext('bookit:venue-slug'), hashtext(NEW.slug));
    IF EXISTS (SELECT 1 FROM venues WHERE slug = NEW.slug) THEN
      NEW.slug := NEW.slug || '-' || NEW.id;
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER venues_slug BEFORE INSERT ON venues FOR EACH ROW EXECUTE FUNCTION venues_set_slug();

-- Who a person is at an identity provider (issuer and subject, which never change there), linked to
-- the user it signed in the first time. The email is only how the first sign-in finds an account;
-- later ones go by the subject, so an address reassigned at the provider reaches nobody else here.
CREATE TABLE sso_identities (
  issuer     text NOT NULL,
  subject    text NOT NULL,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_signed_in_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (issuer, subject),
  UNIQUE (user_id, issuer)
);

-- A session (a refresh-token family) that began at the identity provider, with the ID token it
-- issued: signing out sends it back as id_token_hint so the provider ends its session too.
CREATE TABLE sso_sessions (
  family     uuid PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  id_token   text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sso_sessions_by_user ON sso_sessions (user_id);
CREATE INDEX sso_sessions_by_expiry ON sso_sessions (expires_at);
