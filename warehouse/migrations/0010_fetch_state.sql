-- What the fetch side remembers of a URL between runs: the validators for a conditional GET
-- (ETag, Last-Modified) of feeds, sitemaps and pages, and what the last answer was.
-- One row per URL as requested (pages by their canonical URL); a 304 keeps the validators and
-- moves checked_at only.

CREATE TABLE fetch_state (
    url            VARCHAR PRIMARY KEY,
    kind           VARCHAR NOT NULL,       -- page, feed, sitemap
    etag           VARCHAR,
    last_modified  VARCHAR,                -- the header as the server sent it (an HTTP date)
    content_hash   VARCHAR,                -- sha256 of the last body (the raw archive's key)
    http_status    INTEGER,
    checked_at     TIMESTAMPTZ NOT NULL,   -- the last time we asked
    changed_at     TIMESTAMPTZ             -- the last time a new body came back (200)
);
