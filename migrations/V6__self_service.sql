-- Crew self-service, first part (SCHEDULING.md §3–4): the personal calendar feed and time-off requests
-- typed in days. Nothing wrote `time_off_requests` before this migration (no route filled it), so it is
-- replaced by its complete form rather than altered.

-- One secret feed URL per person; only its SHA-256 is stored. Regenerating replaces the row, so the old URL
-- stops working at once.
CREATE TABLE calendar_feeds (
    user_id      UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash   BYTEA NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Updated at most once an hour, so polling calendars do not write on every fetch.
    last_used_at TIMESTAMPTZ
);

DROP TABLE time_off_requests;
CREATE TABLE time_off_requests (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- As typed, in `timezone` (the person's home location when they asked): whole days unless a time is
    -- given for the first and/or the last day.
    first_day   DATE NOT NULL,
    last_day    DATE NOT NULL,
    start_time  TIME,
    end_time    TIME,
    timezone    TEXT NOT NULL,
    -- The same range as instants: what the rule engine compares.
    starts_at   TIMESTAMPTZ NOT NULL,
    ends_at     TIMESTAMPTZ NOT NULL,
    category    TEXT NOT NULL CHECK (category IN ('vacation', 'sick', 'personal', 'other')),
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'cancelled')),
    decided_by  UUID REFERENCES users (id) ON DELETE SET NULL,
    decided_at  TIMESTAMPTZ,
    reason      TEXT CHECK (reason IS NULL OR length(reason) <= 500),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (last_day >= first_day AND last_day - first_day < 365),
    CHECK (ends_at > starts_at),
    CHECK ((status IN ('approved', 'denied')) = (decided_at IS NOT NULL))
);
CREATE INDEX time_off_user_idx ON time_off_requests (user_id, starts_at);
CREATE INDEX time_off_approved_idx ON time_off_requests USING gist (user_id, tstzrange(starts_at, ends_at))
    WHERE status = 'approved';
CREATE INDEX time_off_pending_idx ON time_off_requests (created_at) WHERE status = 'pending';
