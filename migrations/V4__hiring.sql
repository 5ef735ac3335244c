-- Hiring (SPEC §4.2–4.4): venue details, applications with their status history, interviews, and the
-- metadata of internal notes. Motivation letters and note bodies are sealed in MongoDB (`sealed_bodies`);
-- nothing here is sensitive personal data.

ALTER TABLE locations
    ADD COLUMN address       TEXT CHECK (address IS NULL OR length(address) <= 300),
    ADD COLUMN contact_email TEXT CHECK (contact_email IS NULL OR length(contact_email) <= 254),
    ADD COLUMN contact_phone TEXT CHECK (contact_phone IS NULL OR length(contact_phone) <= 40);

CREATE TABLE applications (
    id                  UUID PRIMARY KEY,
    applicant_id        UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    location_id         UUID NOT NULL REFERENCES locations (id),
    position            TEXT NOT NULL CHECK (length(btrim(position)) BETWEEN 1 AND 100),
    source              TEXT NOT NULL CHECK (source IN ('qr', 'web', 'manual')),
    availability        TEXT CHECK (availability IS NULL OR length(availability) <= 1000),
    status              TEXT NOT NULL DEFAULT 'new' CHECK (status IN
                          ('new', 'contacted', 'interviewed', 'short_listed', 'hired', 'rejected', 'withdrawn')),
    -- The sealed letter's last save (NULL: no letter). The body itself is in MongoDB under the application id.
    letter_updated_at   TIMESTAMPTZ,
    created_by          UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One open application per person and venue; closed ones (hired, rejected, withdrawn) may repeat.
CREATE UNIQUE INDEX applications_open_key ON applications (applicant_id, location_id)
    WHERE status IN ('new', 'contacted', 'interviewed', 'short_listed');
CREATE INDEX applications_board_idx ON applications (location_id, status, created_at DESC, id);
-- The board across all locations (administrators) walks each status newest first.
CREATE INDEX applications_status_idx ON applications (status, created_at DESC, id);
-- The board's position filter lists the positions applied for per location.
CREATE INDEX applications_positions_idx ON applications (location_id, position);
CREATE INDEX applications_applicant_idx ON applications (applicant_id, created_at);

CREATE TABLE application_status_history (
    id             UUID PRIMARY KEY,
    application_id UUID NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    actor_id       UUID REFERENCES users (id) ON DELETE SET NULL,
    from_status    TEXT,
    to_status      TEXT NOT NULL,
    reason         TEXT CHECK (reason IS NULL OR length(reason) <= 1000),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX application_status_history_app_idx ON application_status_history (application_id, created_at);

CREATE TABLE interviews (
    id               UUID PRIMARY KEY,
    application_id   UUID NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    starts_at        TIMESTAMPTZ NOT NULL,
    ends_at          TIMESTAMPTZ NOT NULL,
    place            TEXT NOT NULL CHECK (length(btrim(place)) BETWEEN 1 AND 200),
    interviewer_id   UUID REFERENCES users (id) ON DELETE SET NULL,
    status           TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled', 'completed')),
    outcome          TEXT CHECK (outcome IS NULL OR outcome IN ('passed', 'failed', 'no_show')),
    outcome_note     TEXT CHECK (outcome_note IS NULL OR length(outcome_note) <= 1000),
    -- RFC 5545 SEQUENCE: grows with every reschedule so calendars replace the earlier invitation.
    sequence         INTEGER NOT NULL DEFAULT 0,
    created_by       UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);

CREATE INDEX interviews_application_idx ON interviews (application_id, starts_at);
CREATE INDEX interviews_interviewer_idx ON interviews (interviewer_id, starts_at) WHERE status = 'scheduled';

CREATE TABLE notes (
    id             UUID PRIMARY KEY,
    subject_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    author_id      UUID REFERENCES users (id) ON DELETE SET NULL,
    application_id UUID REFERENCES applications (id) ON DELETE SET NULL,
    workflow       TEXT NOT NULL CHECK (workflow IN ('application', 'crew', 'scheduling', 'general')),
    priority       TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    visible_roles  TEXT[] NOT NULL CHECK (visible_roles <@
                     ARRAY['administrator', 'manager', 'floor_manager']::TEXT[]),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (author_id IS NULL OR author_id <> subject_id)
);

CREATE INDEX notes_subject_idx ON notes (subject_id, created_at DESC);

-- Mails may carry one attachment (the interview's .ics).
ALTER TABLE email_outbox
    ADD COLUMN attachment_name TEXT,
    ADD COLUMN attachment_type TEXT,
    ADD COLUMN attachment      BYTEA,
    ADD CHECK ((attachment IS NULL) = (attachment_name IS NULL));
