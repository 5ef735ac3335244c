-- Accounts, locations and who works where (SPEC §1, §4.1). No sensitive personal data here: phone numbers
-- and other profile fields live encrypted in MongoDB.

CREATE TABLE locations (
    id               UUID PRIMARY KEY,
    name             TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    timezone         TEXT NOT NULL DEFAULT 'Europe/Amsterdam',
    active           BOOLEAN NOT NULL DEFAULT true,
    application_code TEXT NOT NULL UNIQUE CHECK (application_code ~ '^[A-Z0-9]{6,12}$'),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id                      UUID PRIMARY KEY,
    username                TEXT NOT NULL CHECK (username ~ '^[a-z0-9._-]{3,32}$'),
    email                   TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    first_name              TEXT NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    last_name               TEXT NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    role                    TEXT NOT NULL CHECK (role IN
                              ('administrator', 'manager', 'floor_manager', 'crew_member', 'applicant')),
    status                  TEXT NOT NULL CHECK (status IN ('active', 'invited', 'deactivated')),
    -- NULL until an invited person sets a password.
    password_hash           TEXT,
    signup_location_id      UUID REFERENCES locations (id),
    privacy_consent_version TEXT,
    privacy_consent_at      TIMESTAMPTZ,
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_login_at           TIMESTAMPTZ,
    CHECK (status = 'invited' OR password_hash IS NOT NULL)
);

-- Usernames are stored lower-case; e-mail addresses keep their spelling but are unique case-insensitively.
CREATE UNIQUE INDEX users_username_key ON users (username);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_role_idx ON users (role, created_at DESC, id);

CREATE TABLE user_locations (
    user_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    location_id      UUID NOT NULL REFERENCES locations (id),
    position         TEXT,
    contracted_hours NUMERIC(5, 2) CHECK (contracted_hours IS NULL OR contracted_hours BETWEEN 0 AND 80),
    start_date       DATE,
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'on_leave', 'inactive')),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, location_id)
);

CREATE INDEX user_locations_location_idx ON user_locations (location_id);

-- Single-use tokens for password resets and staff invitations. Only a SHA-256 of the token is stored.
CREATE TABLE account_tokens (
    token_hash BYTEA PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('password_reset', 'invitation')),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX account_tokens_user_idx ON account_tokens (user_id);

-- Mails go through this outbox; a background sender claims rows with FOR UPDATE SKIP LOCKED. Without an
-- SMTP server configured mails are 'held' and shown to administrators instead.
CREATE TABLE email_outbox (
    id              UUID PRIMARY KEY,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    -- Text shown to administrators: the body with tokens in links replaced.
    body_redacted   TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'held')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at         TIMESTAMPTZ
);

CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX email_outbox_created_idx ON email_outbox (created_at DESC, id);
