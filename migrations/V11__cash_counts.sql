-- Cash counts per location (SPEC §4.10, issue 15): money in integer cents (bigint), never floats.

-- A location's cash settings; a location without a row uses the default tolerance (5 €).
CREATE TABLE cash_settings (
    location_id     UUID PRIMARY KEY REFERENCES locations (id),
    tolerance_cents BIGINT NOT NULL CHECK (tolerance_cents BETWEEN 0 AND 100000),
    -- No foreign key on purpose (as in audit_log): the row keeps who changed it after that person is erased.
    updated_by      UUID NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE cash_counts (
    id                 UUID PRIMARY KEY,
    location_id        UUID NOT NULL REFERENCES locations (id),
    count_type         TEXT NOT NULL CHECK (count_type IN ('opening', 'midday', 'closing')),
    -- The day the business day started (a night past midnight belongs to the day before).
    business_date      DATE NOT NULL,
    counted_cents      BIGINT NOT NULL CHECK (counted_cents >= 0),
    card_total_cents   BIGINT CHECK (card_total_cents >= 0),
    float_cents        BIGINT CHECK (float_cents >= 0),
    cash_takings_cents BIGINT CHECK (cash_takings_cents >= 0),
    expected_cents     BIGINT NOT NULL CHECK (expected_cents >= 0),
    expected_source    TEXT NOT NULL
                         CHECK (expected_source IN ('entered', 'previous_closing', 'opening_plus_takings')),
    discrepancy_cents  BIGINT NOT NULL,
    tolerance_cents    BIGINT NOT NULL CHECK (tolerance_cents >= 0),
    note               TEXT CHECK (note IS NULL OR length(note) BETWEEN 1 AND 500),
    state              TEXT NOT NULL DEFAULT 'submitted' CHECK (state IN ('submitted', 'approved', 'disputed')),
    -- A correction names the count it corrects; the original stays as it was.
    corrects           UUID REFERENCES cash_counts (id),
    -- No foreign keys on people (as in audit_log): a count keeps who made and decided it after erasure.
    counted_by         UUID NOT NULL,
    counted_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The submitter's idempotency key: a double tap is the same submission, not a second count.
    client_key         UUID NOT NULL,
    decided_by         UUID,
    decided_at         TIMESTAMPTZ,
    decision_reason    TEXT CHECK (decision_reason IS NULL OR length(decision_reason) BETWEEN 1 AND 500),
    CHECK (discrepancy_cents = counted_cents - expected_cents),
    CHECK ((state = 'submitted') = (decided_at IS NULL)),
    CHECK (state <> 'disputed' OR decision_reason IS NOT NULL),
    CONSTRAINT cash_counts_client_key UNIQUE (counted_by, client_key)
);
-- One original count per location, business date and type; further counts are corrections.
CREATE UNIQUE INDEX cash_counts_original_key ON cash_counts (location_id, business_date, count_type)
    WHERE corrects IS NULL;
-- A count is corrected at most once: corrections form a chain whose last link is the effective count.
CREATE UNIQUE INDEX cash_counts_corrects_key ON cash_counts (corrects) WHERE corrects IS NOT NULL;
CREATE INDEX cash_counts_location_date_idx ON cash_counts (location_id, business_date);
CREATE INDEX cash_counts_location_keyset_idx ON cash_counts (location_id, counted_at DESC, id DESC);

-- Counted lines: so many pieces of one euro denomination (cents).
CREATE TABLE cash_count_lines (
    count_id     UUID NOT NULL REFERENCES cash_counts (id) ON DELETE CASCADE,
    denomination BIGINT NOT NULL CHECK (denomination IN
                   (50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1)),
    quantity     BIGINT NOT NULL CHECK (quantity BETWEEN 0 AND 100000),
    PRIMARY KEY (count_id, denomination)
);

-- The till receipt of a count: metadata here, the content sealed in GridFS (the orphan sweep knows these
-- ids as well as the documents').
CREATE TABLE cash_count_receipts (
    count_id     UUID PRIMARY KEY REFERENCES cash_counts (id),
    id           UUID NOT NULL UNIQUE,
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes   BIGINT NOT NULL CHECK (size_bytes >= 0),
    gridfs_id    TEXT NOT NULL UNIQUE,
    uploaded_by  UUID NOT NULL,
    uploaded_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Nobody edits a decided count, and nobody changes a count's figures at all: the only update a count
-- ever sees is its decision (submitted → approved | disputed). Lines of a count never change either.
CREATE FUNCTION cash_counts_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.state <> 'submitted' THEN
        RAISE EXCEPTION 'cash count % is final', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF (NEW.id, NEW.location_id, NEW.count_type, NEW.business_date, NEW.counted_cents, NEW.card_total_cents,
        NEW.float_cents, NEW.cash_takings_cents, NEW.expected_cents, NEW.expected_source,
        NEW.discrepancy_cents, NEW.tolerance_cents, NEW.note, NEW.corrects, NEW.counted_by, NEW.counted_at,
        NEW.client_key)
       IS DISTINCT FROM
       (OLD.id, OLD.location_id, OLD.count_type, OLD.business_date, OLD.counted_cents, OLD.card_total_cents,
        OLD.float_cents, OLD.cash_takings_cents, OLD.expected_cents, OLD.expected_source,
        OLD.discrepancy_cents, OLD.tolerance_cents, OLD.note, OLD.corrects, OLD.counted_by, OLD.counted_at,
        OLD.client_key) THEN
        RAISE EXCEPTION 'the figures of cash count % do not change', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER cash_counts_frozen BEFORE UPDATE OR DELETE ON cash_counts
    FOR EACH ROW EXECUTE FUNCTION cash_counts_frozen();

CREATE FUNCTION cash_count_lines_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'counted lines do not change' USING ERRCODE = 'check_violation';
END;
$$;
CREATE TRIGGER cash_count_lines_frozen BEFORE UPDATE ON cash_count_lines
    FOR EACH ROW EXECUTE FUNCTION cash_count_lines_frozen();
