-- Sources whose last day parsed worse than the days before it: the signature of a site that
-- changed its layout. Compares each source's latest day with the mean of its 7 days before.

CREATE OR REPLACE VIEW source_health_alerts AS
WITH days AS (
    SELECT *, row_number() OVER (PARTITION BY source_id ORDER BY day DESC) AS age
    FROM source_health_daily
    WHERE pages > 0
), before AS (
    SELECT source_id, count(*) AS days_before, avg(text_fill) AS text_fill,
           avg(date_fill) AS date_fill, avg(author_fill) AS author_fill
    FROM days WHERE age BETWEEN 2 AND 8
    GROUP BY source_id
), compared AS (
    SELECT d.source_id, d.day, d.pages, d.fetch_failures, b.days_before,
           d.text_fill, round(b.text_fill, 3) AS text_fill_before,
           coalesce(d.date_fill, 0) AS date_fill, round(b.date_fill, 3) AS date_fill_before,
           coalesce(d.author_fill, 0) AS author_fill, round(b.author_fill, 3) AS author_fill_before
    FROM days d JOIN before b USING (source_id)
    WHERE d.age = 1
)
SELECT *,
       list_concat(
           CASE WHEN text_fill < text_fill_before - 0.2 THEN ['text'] ELSE []::VARCHAR[] END,
           CASE WHEN date_fill < date_fill_before - 0.2 THEN ['date'] ELSE []::VARCHAR[] END,
           CASE WHEN author_fill < author_fill_before - 0.2 THEN ['author'] ELSE []::VARCHAR[] END
       ) AS dropped   -- which fill rates fell by more than 0.2
FROM compared
WHERE text_fill < text_fill_before - 0.2
   OR date_fill < date_fill_before - 0.2
   OR author_fill < author_fill_before - 0.2
ORDER BY source_id;
