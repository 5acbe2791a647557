-- newsdesk warehouse v1: normalized tables. Keys are content-derived hashes (see warehouse/keys.py)
-- so that loading the same input twice writes the same rows.

CREATE TABLE sources (
    source_id   VARCHAR PRIMARY KEY,      -- the host name, lower-cased, without "www."
    first_seen  TIMESTAMPTZ NOT NULL,
    last_seen   TIMESTAMPTZ NOT NULL
);

CREATE TABLE runs (
    run_id       VARCHAR PRIMARY KEY,     -- the Prefect flow run id (or a uuid outside Prefect)
    flow_name    VARCHAR NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ,
    urls         INTEGER NOT NULL,
    outcomes     JSON NOT NULL            -- {"loaded": 5, "http_error": 1, ...}
);

CREATE TABLE fetches (
    fetch_id      VARCHAR PRIMARY KEY,    -- hash of (run_id, url)
    run_id        VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    final_url     VARCHAR,
    source_id     VARCHAR NOT NULL,
    outcome       VARCHAR NOT NULL,       -- fetched, http_error, network_error, not_html, too_large, ...
    http_status   INTEGER,
    content_type  VARCHAR,
    bytes         BIGINT,
    content_hash  VARCHAR,                -- sha256 of the raw body
    attempts      INTEGER NOT NULL,
    elapsed_ms    DOUBLE,
    error         VARCHAR,
    fetched_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE articles (
    article_id         VARCHAR PRIMARY KEY,   -- hash of the canonical URL
    source_id          VARCHAR NOT NULL,
    url                VARCHAR NOT NULL,      -- the URL it was fetched from
    canonical_url      VARCHAR NOT NULL,
    title              VARCHAR,
    description        VARCHAR,
    site_name          VARCHAR,
    language           VARCHAR,
    text               VARCHAR NOT NULL,
    word_count         INTEGER NOT NULL,
    published_at       TIMESTAMPTZ,           -- the instant; a bare day is stored as midnight UTC
    published_iso      VARCHAR,               -- as the page states it (offset kept, or a bare day)
    published_raw      VARCHAR,
    published_source   VARCHAR,               -- jsonld, opengraph, meta, byline, url, feed ...
    updated_at         TIMESTAMPTZ,
    updated_iso        VARCHAR,
    updated_raw        VARCHAR,
    updated_source     VARCHAR,
    agency             VARCHAR,
    dateline           VARCHAR,
    image              VARCHAR,
    content_hash       VARCHAR NOT NULL,      -- sha256 of the raw page
    extractor_version  VARCHAR NOT NULL,
    run_id             VARCHAR NOT NULL,      -- the run that last wrote this row
    first_seen         TIMESTAMPTZ NOT NULL,
    last_seen          TIMESTAMPTZ NOT NULL
);

CREATE TABLE authors (
    author_id  VARCHAR PRIMARY KEY,           -- hash of the case-folded name
    name       VARCHAR NOT NULL
);

CREATE TABLE article_authors (
    article_id  VARCHAR NOT NULL,
    author_id   VARCHAR NOT NULL,
    position    INTEGER NOT NULL,             -- byline order, 0-based
    PRIMARY KEY (article_id, position)
);

CREATE TABLE tags (
    tag_id  VARCHAR PRIMARY KEY,              -- hash of (kind, case-folded name)
    kind    VARCHAR NOT NULL,                 -- keyword, category, country, topic
    name    VARCHAR NOT NULL
);

CREATE TABLE article_tags (
    article_id  VARCHAR NOT NULL,
    tag_id      VARCHAR NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);

CREATE TABLE speakers (
    speaker_id  VARCHAR PRIMARY KEY,          -- hash of the case-folded resolved name
    name        VARCHAR NOT NULL
);

CREATE TABLE quotes (
    quote_id            VARCHAR PRIMARY KEY,  -- hash of (article_id, start_offset)
    article_id          VARCHAR NOT NULL,
    position            INTEGER NOT NULL,     -- order in the article, 0-based
    quote               VARCHAR NOT NULL,
    kind                VARCHAR NOT NULL,     -- direct, partial
    cue                 VARCHAR,
    speaker_id          VARCHAR,              -- NULL when no speaker was found
    speaker_as_written  VARCHAR,
    role                VARCHAR,              -- the role as stated in this article
    start_offset        INTEGER NOT NULL,     -- character offsets into articles.text
    end_offset          INTEGER NOT NULL,
    paragraph           INTEGER NOT NULL,
    confidence          DOUBLE NOT NULL
);
