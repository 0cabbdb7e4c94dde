-- The users table for administrators: when each person last signed in (with a password), and
-- when a super admin last asked for their welcome email again.

-- Set by every successful password sign-in. Null for a person who never signed in since this
-- column came; one who chose their own password before it did has signed in all the same, so
-- "never signed in" reads null here together with a password still the welcome's.
ALTER TABLE users ADD COLUMN last_signed_in_at timestamptz;

-- A resend is one conditional UPDATE of this column: a second click within a minute finds it set
-- and sends nothing, so two clicks at once make one new password and one email.
ALTER TABLE users ADD COLUMN welcome_resent_at timestamptz;
