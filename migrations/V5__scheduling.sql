-- Scheduling (SPEC §4.6–4.7, SCHEDULING.md): positions and competencies per location, crew positions and
-- competency levels with history, week templates, schedule weeks with dated shifts and assignments, the
-- published copy crew see, the change history, and the availability / time-off tables the crew's
-- self-service fills. No sensitive personal data: times, levels and short operational notes only.

CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE locations
    ADD COLUMN min_rest_minutes   INTEGER NOT NULL DEFAULT 660 CHECK (min_rest_minutes BETWEEN 0 AND 1440),
    ADD COLUMN weekly_max_minutes INTEGER NOT NULL DEFAULT 2880 CHECK (weekly_max_minutes BETWEEN 60 AND 10080);

CREATE TABLE positions (
    id          UUID PRIMARY KEY,
    location_id UUID NOT NULL REFERENCES locations (id),
    name        TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 60),
    archived    BOOLEAN NOT NULL DEFAULT false,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX positions_name_key ON positions (location_id, lower(name));

CREATE TABLE competencies (
    id          UUID PRIMARY KEY,
    location_id UUID NOT NULL REFERENCES locations (id),
    name        TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 60),
    archived    BOOLEAN NOT NULL DEFAULT false,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX competencies_name_key ON competencies (location_id, lower(name));

CREATE TABLE position_requirements (
    position_id   UUID NOT NULL REFERENCES positions (id) ON DELETE CASCADE,
    competency_id UUID NOT NULL REFERENCES competencies (id),
    min_level     SMALLINT NOT NULL CHECK (min_level BETWEEN 1 AND 5),
    PRIMARY KEY (position_id, competency_id)
);

-- The positions a crew member works at a location (user_locations.position stays the free text of the hire).
CREATE TABLE crew_positions (
    user_id     UUID NOT NULL,
    location_id UUID NOT NULL,
    position_id UUID NOT NULL REFERENCES positions (id),
    PRIMARY KEY (user_id, location_id, position_id),
    FOREIGN KEY (user_id, location_id) REFERENCES user_locations (user_id, location_id) ON DELETE CASCADE
);

-- The current level per person and competency, and every assessment ever made.
CREATE TABLE competency_levels (
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    competency_id UUID NOT NULL REFERENCES competencies (id),
    level         SMALLINT NOT NULL CHECK (level BETWEEN 0 AND 5),
    assessed_by   UUID REFERENCES users (id) ON DELETE SET NULL,
    assessed_on   DATE NOT NULL,
    note          TEXT CHECK (note IS NULL OR length(note) <= 500),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, competency_id)
);

CREATE TABLE competency_assessments (
    id            UUID PRIMARY KEY,
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    competency_id UUID NOT NULL REFERENCES competencies (id),
    level         SMALLINT NOT NULL CHECK (level BETWEEN 0 AND 5),
    assessed_by   UUID REFERENCES users (id) ON DELETE SET NULL,
    assessed_on   DATE NOT NULL,
    note          TEXT CHECK (note IS NULL OR length(note) <= 500),
    recorded_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX competency_assessments_user_idx ON competency_assessments (user_id, competency_id, recorded_at DESC);

CREATE TABLE week_templates (
    id          UUID PRIMARY KEY,
    location_id UUID NOT NULL REFERENCES locations (id),
    name        TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 80),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX week_templates_name_key ON week_templates (location_id, lower(name));

CREATE TABLE template_shifts (
    id            UUID PRIMARY KEY,
    template_id   UUID NOT NULL REFERENCES week_templates (id) ON DELETE CASCADE,
    weekday       SMALLINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    position_id   UUID NOT NULL REFERENCES positions (id),
    -- Local wall-clock times; an end at or before the start is on the next day.
    start_time    TIME NOT NULL,
    end_time      TIME NOT NULL,
    break_minutes SMALLINT NOT NULL DEFAULT 0 CHECK (break_minutes >= 0),
    slots         SMALLINT NOT NULL CHECK (slots BETWEEN 1 AND 50),
    -- [{"competencyId": uuid, "minLevel": 1-5}], checked against the location's competencies on write.
    requirements  JSONB NOT NULL DEFAULT '[]'::jsonb,
    note          TEXT CHECK (note IS NULL OR length(note) <= 500),
    sort          SMALLINT NOT NULL DEFAULT 0,
    CHECK (start_time <> end_time)
);
CREATE INDEX template_shifts_template_idx ON template_shifts (template_id, weekday, start_time);

CREATE TABLE schedule_weeks (
    id                UUID PRIMARY KEY,
    location_id       UUID NOT NULL REFERENCES locations (id),
    iso_year          SMALLINT NOT NULL CHECK (iso_year BETWEEN 2000 AND 2100),
    iso_week          SMALLINT NOT NULL CHECK (iso_week BETWEEN 1 AND 53),
    status            TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    -- Grows with every change; the published copy is of `published_version`.
    version           BIGINT NOT NULL DEFAULT 1,
    published_version BIGINT,
    published_at      TIMESTAMPTZ,
    published_by      UUID REFERENCES users (id) ON DELETE SET NULL,
    created_by        UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (location_id, iso_year, iso_week),
    CHECK ((status = 'published') = (published_version IS NOT NULL))
);

CREATE TABLE shifts (
    id            UUID PRIMARY KEY,
    week_id       UUID NOT NULL REFERENCES schedule_weeks (id) ON DELETE CASCADE,
    location_id   UUID NOT NULL REFERENCES locations (id),
    position_id   UUID NOT NULL REFERENCES positions (id),
    -- The local start date at the location: decides the ISO week the shift belongs to.
    local_date    DATE NOT NULL,
    starts_at     TIMESTAMPTZ NOT NULL,
    ends_at       TIMESTAMPTZ NOT NULL,
    break_minutes SMALLINT NOT NULL DEFAULT 0 CHECK (break_minutes >= 0),
    slots         SMALLINT NOT NULL CHECK (slots BETWEEN 1 AND 50),
    requirements  JSONB NOT NULL DEFAULT '[]'::jsonb,
    note          TEXT CHECK (note IS NULL OR length(note) <= 500),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at AND ends_at - starts_at <= interval '16 hours')
);
CREATE INDEX shifts_week_idx ON shifts (week_id, starts_at);
CREATE INDEX shifts_location_time_idx ON shifts (location_id, starts_at);
-- A person's shifts around a moment, at every location (the rule engine's and the grid's look-up).
CREATE INDEX shifts_time_idx ON shifts (starts_at);

-- One person in one slot. `during` repeats the shift's time so PostgreSQL itself refuses two overlapping
-- assignments of one person, whichever venues two concurrent requests come from.
CREATE TABLE assignments (
    id              UUID PRIMARY KEY,
    shift_id        UUID NOT NULL REFERENCES shifts (id) ON DELETE CASCADE,
    user_id         UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    during          TSTZRANGE NOT NULL,
    source          TEXT NOT NULL DEFAULT 'manager' CHECK (source IN ('manager', 'claim', 'swap', 'autofill', 'copy')),
    overridden      TEXT[] NOT NULL DEFAULT '{}',
    override_reason TEXT CHECK (override_reason IS NULL OR length(override_reason) <= 500),
    created_by      UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (shift_id, user_id),
    CONSTRAINT assignments_no_overlap EXCLUDE USING gist (user_id WITH =, during WITH &&)
);
CREATE INDEX assignments_shift_idx ON assignments (shift_id);
CREATE INDEX assignments_user_time_idx ON assignments USING gist (user_id, during);

-- The copy of a week crew see: replaced at every publish. Assignment ids stay stable across publishes, so a
-- calendar feed can keep one UID per assignment and raise `sequence` when its time, place or status changes;
-- an assignment taken away stays as cancelled.
CREATE TABLE published_shifts (
    shift_id      UUID PRIMARY KEY,
    week_id       UUID NOT NULL REFERENCES schedule_weeks (id) ON DELETE CASCADE,
    location_id   UUID NOT NULL REFERENCES locations (id),
    position_id   UUID NOT NULL REFERENCES positions (id),
    position_name TEXT NOT NULL,
    local_date    DATE NOT NULL,
    starts_at     TIMESTAMPTZ NOT NULL,
    ends_at       TIMESTAMPTZ NOT NULL,
    break_minutes SMALLINT NOT NULL,
    slots         SMALLINT NOT NULL,
    note          TEXT
);
CREATE INDEX published_shifts_week_idx ON published_shifts (week_id, starts_at);

CREATE TABLE published_assignments (
    assignment_id UUID PRIMARY KEY,
    week_id       UUID NOT NULL REFERENCES schedule_weeks (id) ON DELETE CASCADE,
    shift_id      UUID NOT NULL,
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    location_id   UUID NOT NULL REFERENCES locations (id),
    position_name TEXT NOT NULL,
    starts_at     TIMESTAMPTZ NOT NULL,
    ends_at       TIMESTAMPTZ NOT NULL,
    sequence      INTEGER NOT NULL DEFAULT 0,
    cancelled_at  TIMESTAMPTZ,
    changed_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX published_assignments_user_idx ON published_assignments (user_id, starts_at);
CREATE INDEX published_assignments_week_idx ON published_assignments (week_id);

CREATE TABLE schedule_changes (
    id          UUID PRIMARY KEY,
    week_id     UUID NOT NULL REFERENCES schedule_weeks (id) ON DELETE CASCADE,
    actor_id    UUID REFERENCES users (id) ON DELETE SET NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('week_created', 'shift_added', 'shift_changed', 'shift_removed',
                                              'assigned', 'unassigned', 'published')),
    shift_id    UUID,
    person_id   UUID REFERENCES users (id) ON DELETE SET NULL,
    old_value   TEXT,
    new_value   TEXT,
    reason      TEXT CHECK (reason IS NULL OR length(reason) <= 500),
    overridden  TEXT[] NOT NULL DEFAULT '{}',
    -- The week's version this change produced.
    version     BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX schedule_changes_week_idx ON schedule_changes (week_id, created_at DESC);

-- Filled by the crew's self-service; the rule engine already reads them.
CREATE TABLE availability_windows (
    id             UUID PRIMARY KEY,
    user_id        UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    effective_from DATE NOT NULL,
    weekday        SMALLINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    kind           TEXT NOT NULL CHECK (kind IN ('available', 'unavailable', 'preferred')),
    -- Both NULL: the whole day.
    start_time     TIME,
    end_time       TIME,
    CHECK ((start_time IS NULL) = (end_time IS NULL))
);
CREATE INDEX availability_windows_user_idx ON availability_windows (user_id, effective_from);

CREATE TABLE unavailable_days (
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day     DATE NOT NULL,
    PRIMARY KEY (user_id, day)
);

CREATE TABLE time_off_requests (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    starts_at   TIMESTAMPTZ NOT NULL,
    ends_at     TIMESTAMPTZ NOT NULL,
    category    TEXT NOT NULL CHECK (category IN ('vacation', 'sick', 'personal', 'other')),
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'cancelled')),
    decided_by  UUID REFERENCES users (id) ON DELETE SET NULL,
    decided_at  TIMESTAMPTZ,
    reason      TEXT CHECK (reason IS NULL OR length(reason) <= 500),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX time_off_user_idx ON time_off_requests (user_id, starts_at) WHERE status = 'approved';
