"""Assertions shared by the reliability tests: what the warehouse must look like after a run."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from warehouse.queries import run_query

# Content columns: what a page says, not when or by which run it was loaded.
CONTENT_QUERIES = {
    "articles": """SELECT canonical_url, url, source_id, title, description, site_name, language, text,
                          word_count, published_at, published_iso, published_raw, published_source,
                          updated_at, updated_iso, agency, dateline, image, content_hash, extractor_version,
                          text_hash
                   FROM articles ORDER BY canonical_url""",
    "sources": "SELECT source_id FROM sources ORDER BY 1",
    "authors": "SELECT author_id, name FROM authors ORDER BY 1",
    "article_authors": """SELECT a.canonical_url, aa.position, au.name FROM article_authors aa
                          JOIN articles a USING (article_id) JOIN authors au USING (author_id) ORDER BY 1, 2""",
    "tags": "SELECT tag_id, kind, name FROM tags ORDER BY 1",
    "article_tags": """SELECT a.canonical_url, t.kind, t.name FROM article_tags tg
                       JOIN articles a USING (article_id) JOIN tags t USING (tag_id) ORDER BY 1, 2, 3""",
    "speakers": "SELECT speaker_id, name FROM speakers ORDER BY 1",
    "quotes": """SELECT a.canonical_url, q.quote_id, q.position, q.quote, q.kind, q.cue, q.speaker_id,
                        q.speaker_as_written, q.role, q.start_offset, q.end_offset, q.paragraph, q.confidence
                 FROM quotes q JOIN articles a USING (article_id) ORDER BY 1, 4""",
}

# Each query returns the offending rows; every one must come back empty.
DUPLICATES_AND_ORPHANS = {
    "duplicate articles": "SELECT canonical_url FROM articles GROUP BY 1 HAVING count(*) > 1",
    "duplicate quotes": "SELECT article_id, start_offset FROM quotes GROUP BY ALL HAVING count(*) > 1",
    "duplicate bylines": "SELECT article_id, author_id FROM article_authors GROUP BY ALL HAVING count(*) > 1",
    "quotes without article": "SELECT quote_id FROM quotes WHERE article_id NOT IN (SELECT article_id FROM articles)",
    "quotes without speaker": """SELECT quote_id FROM quotes
                                 WHERE speaker_id IS NOT NULL AND speaker_id NOT IN (SELECT speaker_id FROM speakers)""",
    "articles without source": "SELECT article_id FROM articles WHERE source_id NOT IN (SELECT source_id FROM sources)",
    "bylines without article": """SELECT article_id FROM article_authors
                                  WHERE article_id NOT IN (SELECT article_id FROM articles)""",
    "bylines without author": "SELECT author_id FROM article_authors WHERE author_id NOT IN (SELECT author_id FROM authors)",
    "tags without article": "SELECT article_id FROM article_tags WHERE article_id NOT IN (SELECT article_id FROM articles)",
    "tags without tag": "SELECT tag_id FROM article_tags WHERE tag_id NOT IN (SELECT tag_id FROM tags)",
}


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    return list(run_query(db, sql, params).rows)


def content_snapshot(db: Path) -> dict[str, list[tuple]]:
    return {table: rows(db, sql) for table, sql in CONTENT_QUERIES.items()}


def integrity_problems(db: Path) -> dict[str, list[tuple]]:
    """Duplicates and orphans: {check: offending rows}, only the checks that found some."""
    found = {name: rows(db, sql) for name, sql in DUPLICATES_AND_ORPHANS.items()}
    return {name: bad for name, bad in found.items() if bad}


def path_of(url: str) -> str:
    return urlsplit(url).path
