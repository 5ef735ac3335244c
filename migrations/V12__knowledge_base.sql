-- Knowledge base (SPEC §4.10, issue 15): categories and articles per location (NULL location = group-wide, for
-- every location), a full snapshot per saved version, images sniffed as PNG or JPEG, and read confirmations of
-- "must read" articles. Articles are not personal data and live here (SPEC §4.10).

CREATE TABLE kb_categories (
    id          UUID PRIMARY KEY,
    -- NULL: group-wide (administrators keep these).
    location_id UUID REFERENCES locations (id),
    name        TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    sort_order  INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One name once per location (and once among the group-wide categories).
CREATE UNIQUE INDEX kb_categories_name_key
    ON kb_categories (COALESCE(location_id, '00000000-0000-0000-0000-000000000000'::UUID), lower(name));

CREATE TABLE kb_articles (
    id                   UUID PRIMARY KEY,
    location_id          UUID REFERENCES locations (id),
    category_id          UUID REFERENCES kb_categories (id) ON DELETE SET NULL,
    title                TEXT NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    -- Sanitized HTML (domain::richtext::sanitize_article) and its visible text, which search reads.
    body_html            TEXT NOT NULL,
    body_text            TEXT NOT NULL,
    state                TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published')),
    must_read            BOOLEAN NOT NULL DEFAULT false,
    -- The current version; saving raises it (optimistic concurrency: `WHERE version = <the version read>`).
    version              INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    -- Confirmations of this version or later count; set on first publication and when a publication or save
    -- asks for re-confirmation.
    confirm_from_version INTEGER,
    created_by           UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by           UUID REFERENCES users (id) ON DELETE SET NULL,
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at         TIMESTAMPTZ,
    -- Dutch and English stems of the title (weight A) and the visible text (weight B); searched with both
    -- configurations' `websearch_to_tsquery` OR-ed.
    search               TSVECTOR GENERATED ALWAYS AS (
                             setweight(to_tsvector('dutch', title), 'A')
                             || setweight(to_tsvector('english', title), 'A')
                             || setweight(to_tsvector('dutch', body_text), 'B')
                             || setweight(to_tsvector('english', body_text), 'B')
                         ) STORED
);

CREATE INDEX kb_articles_search_idx ON kb_articles USING GIN (search);
CREATE INDEX kb_articles_location_idx ON kb_articles (location_id, updated_at DESC, id);
CREATE INDEX kb_articles_must_read_idx ON kb_articles (location_id) WHERE must_read AND state = 'published';

-- "Who changed what, when": every saved version, whole.
CREATE TABLE kb_article_versions (
    article_id  UUID NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    title       TEXT NOT NULL,
    body_html   TEXT NOT NULL,
    category_id UUID,
    must_read   BOOLEAN NOT NULL,
    saved_by    UUID REFERENCES users (id) ON DELETE SET NULL,
    saved_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (article_id, version)
);

CREATE TABLE kb_images (
    id           UUID PRIMARY KEY,
    location_id  UUID REFERENCES locations (id),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
    bytes        BYTEA NOT NULL,
    size_bytes   INTEGER NOT NULL,
    uploaded_by  UUID REFERENCES users (id) ON DELETE SET NULL,
    uploaded_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE kb_read_confirmations (
    article_id   UUID NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The version the person confirmed (the latest confirmation of a person replaces the earlier one).
    version      INTEGER NOT NULL,
    confirmed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (article_id, user_id)
);

CREATE INDEX kb_read_confirmations_user_idx ON kb_read_confirmations (user_id);
