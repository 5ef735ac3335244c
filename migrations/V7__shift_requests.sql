-- Crew self-service, second part (SCHEDULING.md §4): claims of open shifts, offers and swaps with the
-- colleague's answer and a manager's approval, interest in open shifts, in-app notifications with per-kind
-- e-mail settings, and the per-location settings these flows need.

ALTER TABLE locations
    ADD COLUMN claims_need_approval   BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN swaps_need_approval    BOOLEAN NOT NULL DEFAULT true,
    -- Claims, interest, offers and swaps close this long before the shift starts.
    ADD COLUMN request_cutoff_minutes INTEGER NOT NULL DEFAULT 720 CHECK (request_cutoff_minutes BETWEEN 0 AND 10080);

-- One request about shifts of a published week. `shift_id` is the open shift (claim) or the requester's
-- shift (offer, swap); a swap names the colleague's assignment it wants in return; an offer records who
-- took it. Effects (assignments moved) happen only when the status becomes `approved`, in the same
-- transaction, after the rule engine agreed on the state of that moment.
CREATE TABLE shift_requests (
    id                   UUID PRIMARY KEY,
    kind                 TEXT NOT NULL CHECK (kind IN ('claim', 'offer', 'swap')),
    location_id          UUID NOT NULL REFERENCES locations (id),
    week_id              UUID NOT NULL REFERENCES schedule_weeks (id) ON DELETE CASCADE,
    shift_id             UUID NOT NULL REFERENCES shifts (id) ON DELETE CASCADE,
    requester_id         UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Offer and swap: the requester's assignment being given away (NULL once it no longer exists).
    assignment_id        UUID REFERENCES assignments (id) ON DELETE SET NULL,
    -- Swap: the colleague and the assignment asked for in return.
    target_user_id       UUID REFERENCES users (id) ON DELETE CASCADE,
    target_assignment_id UUID REFERENCES assignments (id) ON DELETE SET NULL,
    target_shift_id      UUID REFERENCES shifts (id) ON DELETE CASCADE,
    -- Offer: who took it.
    taker_id             UUID REFERENCES users (id) ON DELETE CASCADE,
    status               TEXT NOT NULL CHECK (status IN ('open', 'pending_colleague', 'pending_approval',
                                                         'approved', 'denied', 'declined', 'withdrawn')),
    decided_by           UUID REFERENCES users (id) ON DELETE SET NULL,
    decided_at           TIMESTAMPTZ,
    reason               TEXT CHECK (reason IS NULL OR length(reason) <= 500),
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((kind = 'swap') = (target_user_id IS NOT NULL AND target_shift_id IS NOT NULL)),
    CHECK (kind <> 'claim' OR assignment_id IS NULL)
);
CREATE INDEX shift_requests_location_idx ON shift_requests (location_id, created_at)
    WHERE status IN ('open', 'pending_colleague', 'pending_approval');
CREATE INDEX shift_requests_requester_idx ON shift_requests (requester_id, created_at DESC);
CREATE INDEX shift_requests_target_idx ON shift_requests (target_user_id, created_at DESC);
-- One open request per assignment given away, one pending claim per person and shift.
CREATE UNIQUE INDEX shift_requests_one_per_assignment ON shift_requests (assignment_id)
    WHERE status IN ('open', 'pending_colleague', 'pending_approval');
CREATE UNIQUE INDEX shift_requests_one_claim ON shift_requests (shift_id, requester_id)
    WHERE kind = 'claim' AND status = 'pending_approval';

-- "I would take this open shift": managers see these people first.
CREATE TABLE shift_interest (
    shift_id   UUID NOT NULL REFERENCES shifts (id) ON DELETE CASCADE,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (shift_id, user_id)
);

-- Request steps appear in the week's change history; they apply to the published copy directly.
ALTER TABLE schedule_changes DROP CONSTRAINT schedule_changes_kind_check;
ALTER TABLE schedule_changes ADD CONSTRAINT schedule_changes_kind_check
    CHECK (kind IN ('week_created', 'shift_added', 'shift_changed', 'shift_removed', 'assigned', 'unassigned',
                    'published', 'request'));

-- The in-app notification list. `kind` is one of the kinds a person can mute by e-mail; `params` holds
-- the figures the UI words (names, times, ids), never sensitive content.
CREATE TABLE notifications (
    id         UUID PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('schedule_changed', 'request_decided', 'shift_offered',
                                             'swap_proposed', 'request_answered')),
    params     JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    read_at    TIMESTAMPTZ
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

-- E-mail off per kind (absent = on).
CREATE TABLE notification_settings (
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    email   BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, kind)
);
