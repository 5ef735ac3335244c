-- Retention of rejected applicants' data (SPEC §3, issue 14 E): a hold keeps a person's data past the
-- retention period for a legal reason. The reason is operational text written by staff, not personal data
-- of the applicant's own; it never goes into the audit log. `created_by` has no foreign key on purpose: the
-- hold stays when its author's account is erased, and then shows only the opaque id (as the audit log does).

CREATE TABLE retention_holds (
    user_id    UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    reason     TEXT NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 300),
    created_by UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The retention job looks for applicants by role; users_role_idx (role, created_at, id) already serves
-- that, and applications_applicant_idx the per-person look-ups.
