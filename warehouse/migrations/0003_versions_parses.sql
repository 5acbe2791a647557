-- v2 tables: article text versions, and one row per parsed page for per-source health.
-- Upgrades a v1 file in place: existing articles get the hash of their text and keep their rows.

-- sha256 of articles.text (hex, UTF-8), the same digest warehouse/batch.py computes in Python.
ALTER TABLE articles ADD COLUMN text_hash VARCHAR;
UPDATE articles SET text_hash = sha256(text);
-- When the current text was first seen; first_seen stays the first sight of the article.
ALTER TABLE articles ADD COLUMN text_since TIMESTAMPTZ;
UPDATE articles SET text_since = first_seen;

-- Texts an article had before its current one. The current text lives in articles only, so an
-- unchanged article costs no second copy; a row is written when a load brings a new text_hash.
CREATE TABLE article_versions (
    article_id         VARCHAR NOT NULL,
    text_hash          VARCHAR NOT NULL,      -- sha256 of text
    title              VARCHAR,
    text               VARCHAR NOT NULL,
    word_count         INTEGER NOT NULL,
    content_hash       VARCHAR NOT NULL,      -- sha256 of the raw page that gave this text
    extractor_version  VARCHAR NOT NULL,
    first_seen         TIMESTAMPTZ NOT NULL,  -- when this text was first seen
    last_seen          TIMESTAMPTZ NOT NULL,  -- the last load that still saw this text
    superseded_at      TIMESTAMPTZ NOT NULL,  -- the load that brought the next text
    PRIMARY KEY (article_id, text_hash)
);

-- One row per page handed to the loader in a run, whatever its parse status, so that a site
-- whose layout changed shows up as falling fill rates instead of silently missing rows.
CREATE TABLE parses (
    fetch_id           VARCHAR PRIMARY KEY,   -- hash of (run_id, url): the same key as fetches
    run_id             VARCHAR NOT NULL,
    url                VARCHAR NOT NULL,      -- the URL as fetched
    source_id          VARCHAR NOT NULL,      -- host of the fetched URL, as in fetches
    status             VARCHAR NOT NULL,      -- ok, no_text, binary, parse_failed
    error              VARCHAR,
    article_id         VARCHAR,               -- NULL unless status = 'ok'
    word_count         INTEGER NOT NULL,
    has_date           BOOLEAN NOT NULL,      -- a published date was found
    has_author         BOOLEAN NOT NULL,      -- at least one author was found
    quotes             INTEGER NOT NULL,
    extractor_version  VARCHAR,
    parsed_at          TIMESTAMPTZ NOT NULL   -- when the batch was staged
);
