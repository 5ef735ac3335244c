-- Metadata of a person's documents (SPEC §4.5). The content lives encrypted in the GridFS bucket
-- `sensitive_documents`; the original file name is sealed next to it there. Nothing here is derived from the
-- content: no file name, no hash, no preview.

CREATE TABLE documents (
    id             UUID PRIMARY KEY,
    owner_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN
                     ('id_card', 'passport', 'resume', 'reference', 'contract', 'work_permit', 'other')),
    -- Decided by content sniffing, never by the declared type or extension.
    content_type   TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes     BIGINT NOT NULL CHECK (size_bytes >= 0),
    expires_on     DATE,
    review_state   TEXT NOT NULL DEFAULT 'pending' CHECK (review_state IN ('pending', 'approved', 'rejected')),
    reviewed_by    UUID REFERENCES users (id) ON DELETE SET NULL,
    reviewed_at    TIMESTAMPTZ,
    review_reason  TEXT CHECK (review_reason IS NULL OR length(review_reason) <= 1000),
    uploaded_by    UUID REFERENCES users (id) ON DELETE SET NULL,
    uploaded_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The GridFS file holding the sealed content (an ObjectId as hex).
    gridfs_id      TEXT NOT NULL UNIQUE,
    CHECK ((review_state = 'pending') = (reviewed_at IS NULL))
);

CREATE INDEX documents_owner_idx ON documents (owner_id, uploaded_at DESC);
CREATE INDEX documents_expiring_idx ON documents (expires_on) WHERE expires_on IS NOT NULL;
CREATE INDEX documents_pending_idx ON documents (uploaded_at) WHERE review_state = 'pending';
