-- Views for the questions users ask first.

CREATE VIEW quotes_with_speakers AS
SELECT q.quote_id, a.article_id, a.title, a.canonical_url, a.source_id, a.published_at,
       s.name AS speaker, q.speaker_as_written, q.role, q.cue, q.kind, q.quote, q.paragraph
FROM quotes q
JOIN articles a USING (article_id)
LEFT JOIN speakers s USING (speaker_id);

CREATE VIEW top_speakers AS
SELECT s.name AS speaker, count(*) AS quotes, count(DISTINCT q.article_id) AS articles
FROM quotes q JOIN speakers s USING (speaker_id)
GROUP BY s.name
ORDER BY quotes DESC, speaker;

CREATE VIEW articles_per_source_day AS
SELECT source_id, CAST(published_at AS DATE) AS day, count(*) AS articles
FROM articles
GROUP BY ALL
ORDER BY day, source_id;
