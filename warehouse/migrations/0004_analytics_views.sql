-- Views for the questions users ask: who is quoted, who writes, what about, and which sources
-- have stopped parsing well. Views are rewritten by later migrations, never edited here.

CREATE OR REPLACE VIEW quotes_with_speakers AS
SELECT q.quote_id, a.article_id, a.title, a.canonical_url, a.source_id, a.published_at,
       s.name AS speaker, q.speaker_as_written, q.role, q.cue, q.kind, q.quote, q.paragraph,
       q.speaker_id, q.position, q.start_offset, q.end_offset, q.confidence
FROM quotes q
JOIN articles a USING (article_id)
LEFT JOIN speakers s USING (speaker_id);

CREATE OR REPLACE VIEW top_speakers AS
SELECT s.name AS speaker, count(*) AS quotes, count(DISTINCT q.article_id) AS articles,
       count(DISTINCT a.source_id) AS sources, max(a.published_at) AS last_quoted
FROM quotes q JOIN speakers s USING (speaker_id) JOIN articles a USING (article_id)
GROUP BY s.name
ORDER BY quotes DESC, speaker;

CREATE OR REPLACE VIEW articles_per_source_day AS
SELECT source_id, CAST(published_at AS DATE) AS day, count(*) AS articles,
       sum(word_count) AS words
FROM articles
GROUP BY ALL
ORDER BY day, source_id;

CREATE OR REPLACE VIEW top_authors AS
SELECT au.name AS author, count(DISTINCT aa.article_id) AS articles,
       count(DISTINCT a.source_id) AS sources,
       min(a.published_at) AS first_published, max(a.published_at) AS last_published
FROM article_authors aa
JOIN authors au USING (author_id)
JOIN articles a USING (article_id)
GROUP BY au.author_id, au.name
ORDER BY articles DESC, author;

CREATE OR REPLACE VIEW top_tags AS
SELECT t.kind, t.name AS tag, count(DISTINCT tg.article_id) AS articles,
       count(DISTINCT a.source_id) AS sources
FROM article_tags tg
JOIN tags t USING (tag_id)
JOIN articles a USING (article_id)
GROUP BY t.tag_id, t.kind, t.name
ORDER BY articles DESC, kind, tag;

-- One row per article with its byline and tags as lists, for reading rather than joining.
CREATE OR REPLACE VIEW article_overview AS
SELECT a.article_id, a.source_id, a.canonical_url, a.title, a.published_at, a.word_count,
       (SELECT list(au.name ORDER BY aa.position) FROM article_authors aa
        JOIN authors au USING (author_id) WHERE aa.article_id = a.article_id) AS authors,
       (SELECT list(t.kind || ':' || t.name ORDER BY t.kind, t.name) FROM article_tags tg
        JOIN tags t USING (tag_id) WHERE tg.article_id = a.article_id) AS tags,
       (SELECT count(*) FROM quotes q WHERE q.article_id = a.article_id) AS quotes,
       (SELECT count(*) FROM article_versions v WHERE v.article_id = a.article_id) AS old_versions
FROM articles a;

-- Per source and day (of the fetch, or of the parse): what was fetched, what failed, and the
-- fill rates of text, date and author among parsed pages. A layout change shows as a drop.
CREATE OR REPLACE VIEW source_health_daily AS
WITH f AS (
    SELECT source_id, CAST(fetched_at AS DATE) AS day, count(*) AS fetches,
           count(*) FILTER (WHERE outcome <> 'fetched') AS fetch_failures
    FROM fetches GROUP BY ALL
), p AS (
    SELECT source_id, CAST(parsed_at AS DATE) AS day, count(*) AS pages,
           count(*) FILTER (WHERE status = 'ok') AS articles,
           count(*) FILTER (WHERE status <> 'ok') AS parse_failures,
           avg(CASE WHEN status = 'ok' THEN 1.0 ELSE 0.0 END) AS text_fill,
           avg(CASE WHEN has_date THEN 1.0 ELSE 0.0 END) FILTER (WHERE status = 'ok') AS date_fill,
           avg(CASE WHEN has_author THEN 1.0 ELSE 0.0 END) FILTER (WHERE status = 'ok') AS author_fill
    FROM parses GROUP BY ALL
)
SELECT source_id, day, coalesce(f.fetches, 0) AS fetches,
       coalesce(f.fetch_failures, 0) AS fetch_failures, coalesce(p.pages, 0) AS pages,
       coalesce(p.articles, 0) AS articles, coalesce(p.parse_failures, 0) AS parse_failures,
       round(p.text_fill, 3) AS text_fill, round(p.date_fill, 3) AS date_fill,
       round(p.author_fill, 3) AS author_fill
FROM f FULL JOIN p USING (source_id, day)
ORDER BY source_id, day;

-- Per source, over everything held: fill rates measured on the articles table (so files
-- loaded before the parses table existed are covered too), text fill and failures from the
-- parse and fetch records.
CREATE OR REPLACE VIEW source_health AS
WITH a AS (
    SELECT source_id, count(*) AS articles,
           avg(CASE WHEN published_at IS NOT NULL THEN 1.0 ELSE 0.0 END) AS date_fill,
           avg(CASE WHEN EXISTS (SELECT 1 FROM article_authors aa
                                 WHERE aa.article_id = articles.article_id) THEN 1.0 ELSE 0.0 END) AS author_fill,
           median(word_count) AS median_words, max(last_seen) AS last_seen
    FROM articles GROUP BY source_id
), p AS (
    SELECT source_id, count(*) AS pages,
           avg(CASE WHEN status = 'ok' THEN 1.0 ELSE 0.0 END) AS text_fill,
           count(*) FILTER (WHERE status <> 'ok') AS parse_failures
    FROM parses GROUP BY source_id
), f AS (
    SELECT source_id, count(*) FILTER (WHERE outcome <> 'fetched') AS fetch_failures,
           max(CAST(fetched_at AS DATE)) FILTER (WHERE outcome <> 'fetched') AS last_failure_day
    FROM fetches GROUP BY source_id
)
SELECT source_id, coalesce(a.articles, 0) AS articles, round(a.date_fill, 3) AS date_fill,
       round(a.author_fill, 3) AS author_fill, round(p.text_fill, 3) AS text_fill,
       a.median_words, coalesce(p.parse_failures, 0) AS parse_failures,
       coalesce(f.fetch_failures, 0) AS fetch_failures, f.last_failure_day, a.last_seen
FROM a FULL JOIN p USING (source_id) FULL JOIN f USING (source_id)
ORDER BY source_id;
