-- The append-only audit log (SPEC §4.9). Later migrations add the tables whose events it records.
-- Actor and subject are opaque UUIDs without foreign keys on purpose: the trail outlives an erased person.
CREATE TABLE audit_log (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor_id     UUID,
    action       TEXT NOT NULL CHECK (action ~ '^[a-z][a-z0-9_.]*$'),
    subject_type TEXT,
    subject_id   UUID,
    location_id  UUID,
    ip           INET,
    details      JSONB NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX audit_log_occurred_at_idx ON audit_log (occurred_at DESC);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_id, occurred_at DESC);

-- Append-only: the application role may insert and read, never rewrite history. Erasure anonymises through
-- a dedicated function added with the erasure feature, not through ad-hoc UPDATEs.
CREATE FUNCTION audit_log_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_reject_change();
