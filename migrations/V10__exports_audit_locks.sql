-- Exports, the audit viewer and locked hours periods (SPEC §4.8–4.9, issue 14 B–D).

-- The audit viewer pages newest first by (occurred_at, event_id) and shows event_id as the row's opaque id;
-- the integer key never leaves the database. Adding a column with a default rewrites the table without
-- firing row triggers, so the append-only trigger is untouched and no row is UPDATEd.
ALTER TABLE audit_log ADD COLUMN event_id UUID NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX audit_log_event_id_key ON audit_log (event_id);
-- Keyset order of the viewer: all rows (administrators) and per location (managers).
CREATE INDEX audit_log_keyset_idx ON audit_log (occurred_at DESC, event_id DESC);
CREATE INDEX audit_log_location_idx ON audit_log (location_id, occurred_at DESC, event_id DESC);

-- A period whose hours were exported and must not change silently: local dates, both ends included. Two
-- locks of one location never overlap (PostgreSQL decides, not a check first).
CREATE TABLE hours_locks (
    id          UUID PRIMARY KEY,
    location_id UUID NOT NULL REFERENCES locations (id),
    first_day   DATE NOT NULL,
    last_day    DATE NOT NULL,
    locked_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- No foreign key on purpose (as in audit_log): the lock keeps who made it after that person is erased.
    locked_by   UUID NOT NULL,
    CHECK (last_day >= first_day),
    CONSTRAINT hours_locks_no_overlap
        EXCLUDE USING gist (location_id WITH =, daterange(first_day, last_day, '[]') WITH &&)
);
CREATE INDEX hours_locks_location_idx ON hours_locks (location_id, locked_at DESC);

-- What a publish with a reason changed in a locked period: per person and corrected shift date, the signed
-- differences of the exported figures. `made_on` is the local date at the location when it was made (the
-- hours export lists corrections by it).
CREATE TABLE hours_corrections (
    id                    UUID PRIMARY KEY,
    location_id           UUID NOT NULL REFERENCES locations (id),
    week_id               UUID REFERENCES schedule_weeks (id) ON DELETE SET NULL,
    user_id               UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    shift_date            DATE NOT NULL,
    delta_shifts          INTEGER NOT NULL,
    delta_planned_minutes INTEGER NOT NULL,
    delta_night_minutes   INTEGER NOT NULL,
    delta_sunday_minutes  INTEGER NOT NULL,
    reason                TEXT NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 500),
    made_by               UUID NOT NULL,
    made_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    made_on               DATE NOT NULL
);
CREATE INDEX hours_corrections_made_idx ON hours_corrections (location_id, made_on);

-- The hours export reads the published copy of a location by local date.
CREATE INDEX published_shifts_location_date_idx ON published_shifts (location_id, local_date);
