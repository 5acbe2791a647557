"""Bulk, idempotent loads: one transaction per batch, a nested batch in, upserts keyed by content.

A batch (warehouse/batch.py) is a staged JSON lines file (tasks/stage.py), which DuckDB reads
into the temporary table `staged` with the column types below; set-based SQL spreads it over the
tables (UNNEST for authors, tags and quotes), never row by row. Child rows of the batch's
articles (authors, tags, quotes) are replaced as a whole, so loading the same batch twice leaves
the same rows. When an article comes back with another text (by text_hash), its previous text is
kept in article_versions; the article stays one row.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from warehouse.batch import BATCH_FORMAT, LEGACY_BATCH_FORMAT, Batch, article_batch, article_key
from warehouse.fetch_state import ValidatorRow, save_validators
from warehouse.jsonlines import read_json_lines, temporary_json_lines
from warehouse.keys import make_key, source_of
from warehouse.rows import ArticleRow, FetchRow, RunRow

__all__ = ["LoadCounts", "StagedFileError", "article_key", "load_articles", "load_batch_records",
           "load_staged_file", "read_batch_file", "record_fetches", "record_run"]

# The staged file's columns (warehouse.batch.BATCH_FIELDS) with their types, as read_json takes them.
STAGED_COLUMNS = (
    "{'format': 'VARCHAR', 'fetch_id': 'VARCHAR', 'run_id': 'VARCHAR', 'url': 'VARCHAR', "
    "'page_source_id': 'VARCHAR', 'status': 'VARCHAR', 'error': 'VARCHAR', 'extractor_version': 'VARCHAR', "
    "'seen_at': 'TIMESTAMPTZ', 'article_id': 'VARCHAR', 'writes_article': 'BOOLEAN', 'source_id': 'VARCHAR', "
    "'canonical_url': 'VARCHAR', 'title': 'VARCHAR', 'description': 'VARCHAR', 'site_name': 'VARCHAR', "
    "'language': 'VARCHAR', 'text': 'VARCHAR', 'published_iso': 'VARCHAR', 'published_raw': 'VARCHAR', "
    "'published_source': 'VARCHAR', 'updated_iso': 'VARCHAR', 'updated_raw': 'VARCHAR', "
    "'updated_source': 'VARCHAR', 'agency': 'VARCHAR', 'dateline': 'VARCHAR', 'image': 'VARCHAR', "
    "'content_hash': 'VARCHAR', 'word_count': 'INTEGER', 'text_hash': 'VARCHAR', "
    "'authors': 'STRUCT(author_id VARCHAR, name VARCHAR, position INTEGER)[]', "
    "'tags': 'STRUCT(tag_id VARCHAR, kind VARCHAR, name VARCHAR)[]', "
    "'quotes': 'STRUCT(quote_id VARCHAR, position INTEGER, quote VARCHAR, kind VARCHAR, cue VARCHAR, "
    "speaker_id VARCHAR, speaker VARCHAR, speaker_as_written VARCHAR, role VARCHAR, start_offset INTEGER, "
    "end_offset INTEGER, paragraph INTEGER, confidence DOUBLE)[]'}"
)
_STAGE_JSON = ("CREATE OR REPLACE TEMP TABLE staged AS SELECT * FROM "
               f"read_json(?, format = 'newline_delimited', columns = {STAGED_COLUMNS})")
# A Parquet batch (format 1) that an older version staged and left waiting: the same columns.
_STAGE_PARQUET = "CREATE OR REPLACE TEMP TABLE staged AS SELECT * FROM read_parquet(?)"


class StagedFileError(ValueError):
    """A file that is not a newsdesk batch in a format this loader reads."""


@dataclass(frozen=True)
class LoadCounts:
    articles: int
    quotes: int
    authors: int
    tags: int
    pages: int = 0
    new_versions: int = 0   # articles whose text changed: their previous text went to article_versions

    def __add__(self, other: "LoadCounts") -> "LoadCounts":
        return LoadCounts(*(a + b for a, b in zip(self._values(), other._values())))

    def _values(self) -> tuple[int, ...]:
        return (self.articles, self.quotes, self.authors, self.tags, self.pages, self.new_versions)


def load_articles(con: duckdb.DuckDBPyConnection, rows: Sequence[ArticleRow], run_id: str) -> LoadCounts:
    """Upserts articles with their authors, tags, speakers and quotes in one transaction."""
    return load_batch_records(con, article_batch(rows, run_id, datetime.now(timezone.utc)))


def read_batch_file(path: str | Path) -> Batch:
    """A staged batch's records, as Python reads them (for a look at a waiting batch)."""
    records = read_json_lines(path)
    if any(record.get("format") != BATCH_FORMAT for record in records):
        raise StagedFileError(f"{path}: not a {BATCH_FORMAT} file")
    return records


def load_staged_file(con: duckdb.DuckDBPyConnection, path: str | Path) -> LoadCounts:
    """Loads one staged batch file in one transaction. The caller removes the file after this returns.
    FileNotFoundError when it is gone; StagedFileError when it is not a batch this loader reads."""
    _stage(con, Path(path))
    return _load_staged(con)


def load_batch_records(con: duckdb.DuckDBPyConnection, records: Batch) -> LoadCounts:
    """A batch that is not staged on disk (tests, benchmarks, direct loads), through a temporary file."""
    with temporary_json_lines(records) as path:
        return load_staged_file(con, path)


def _stage(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The file as the temporary table `staged`, checked to be a batch."""
    if not path.is_file():
        raise FileNotFoundError(path)
    try:
        if path.suffix == ".parquet":
            _check_legacy_format(con, path)
            con.execute(_STAGE_PARQUET, [str(path)])
        else:
            _stage_json(con, path)
    except duckdb.Error as error:   # not JSON, or not the columns' types
        raise StagedFileError(f"{path}: {error}") from error


def _stage_json(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    con.execute(_STAGE_JSON, [str(path)])
    if con.execute("SELECT count(*) FROM staged WHERE format IS DISTINCT FROM ?", [BATCH_FORMAT]).fetchone()[0]:
        con.execute("DROP TABLE staged")
        raise StagedFileError(f"{path}: not a {BATCH_FORMAT} file")


def _check_legacy_format(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    found = con.execute("SELECT value FROM parquet_kv_metadata(?) WHERE key = 'format'", [str(path)]).fetchall()
    if [bytes(value).decode() for (value,) in found] != [LEGACY_BATCH_FORMAT]:
        raise StagedFileError(f"{path}: not a {LEGACY_BATCH_FORMAT} file")


def _load_staged(con: duckdb.DuckDBPyConnection) -> LoadCounts:
    """The table `staged` -> every table, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        new_versions = _write_batch(con)
        counts = _batch_counts(con, new_versions)
        con.execute("COMMIT")
    except duckdb.Error:
        con.execute("ROLLBACK")
        raise
    finally:
        con.execute("DROP TABLE IF EXISTS staged")
    return counts


def _batch_counts(con: duckdb.DuckDBPyConnection, new_versions: int) -> LoadCounts:
    articles, quotes, authors, tags, pages = con.execute(
        """
        SELECT count(*) FILTER (WHERE writes_article),
               coalesce(sum(len(quotes)) FILTER (WHERE writes_article), 0),
               coalesce(sum(len(authors)) FILTER (WHERE writes_article), 0),
               coalesce(sum(len(tags)) FILTER (WHERE writes_article), 0),
               count(*)
        FROM staged
        """
    ).fetchone()
    return LoadCounts(articles, int(quotes), int(authors), int(tags), pages, new_versions)


_ARTICLE_COLUMNS = (
    "article_id, source_id, url, canonical_url, title, description, site_name, language, text, "
    "word_count, published_at, published_iso, published_raw, published_source, updated_at, "
    "updated_iso, updated_raw, updated_source, agency, dateline, image, content_hash, "
    "extractor_version, run_id, first_seen, last_seen, text_hash, text_since"
)
# Every column takes the new value except the first sighting; the text's start time moves only
# when the text changed. greatest/least keep the times right if an older staged batch loads late.
_ARTICLE_UPDATES = ", ".join(
    f"{column} = excluded.{column}" for column in _ARTICLE_COLUMNS.split(", ")
    if column not in ("article_id", "first_seen", "last_seen", "text_since")
) + (
    ", first_seen = least(articles.first_seen, excluded.first_seen)"
    ", last_seen = greatest(articles.last_seen, excluded.last_seen)"
    ", text_since = CASE WHEN articles.text_hash = excluded.text_hash"
    " THEN articles.text_since ELSE excluded.text_since END"
)


def _write_batch(con: duckdb.DuckDBPyConnection) -> int:
    """The batch's SQL, in dependency order; returns how many articles got a new text."""
    con.execute(
        """
        INSERT INTO sources
        SELECT source_id, min(seen_at), max(seen_at) FROM (
            SELECT page_source_id AS source_id, seen_at FROM staged
            UNION ALL
            SELECT source_id, seen_at FROM staged WHERE writes_article   -- a canonical URL's host
        ) GROUP BY source_id
        ON CONFLICT (source_id) DO UPDATE SET
            first_seen = least(sources.first_seen, excluded.first_seen),
            last_seen = greatest(sources.last_seen, excluded.last_seen)
        """
    )
    known = _known_articles(con)
    new_versions = _keep_replaced_texts(con) if any(changed for changed in known.values()) else 0
    con.execute(
        f"""
        INSERT INTO articles ({_ARTICLE_COLUMNS})
        SELECT article_id, source_id, url, canonical_url, title, description, site_name, language,
               text, word_count, TRY_CAST(published_iso AS TIMESTAMPTZ), published_iso,
               published_raw, published_source, TRY_CAST(updated_iso AS TIMESTAMPTZ), updated_iso,
               updated_raw, updated_source, agency, dateline, image, content_hash,
               extractor_version, run_id, seen_at, seen_at, text_hash, seen_at
        FROM staged WHERE writes_article
        ON CONFLICT (article_id) DO UPDATE SET {_ARTICLE_UPDATES}
        """
    )
    _replace_children(con, replace_existing=bool(known))
    _record_parses(con)
    return new_versions


def _known_articles(con: duckdb.DuckDBPyConnection) -> dict[str, bool]:
    """The batch's articles the file already holds -> whether their text changed.

    Looked up by key in the primary-key index (an IN list of the batch's ids), not joined: a join
    scans the id and text-hash columns of the whole table, whose blocks it shares with the texts,
    so every load read (and held) more of the file as the table grew (docs/BENCHMARKS.md, "Peak
    memory").
    """
    staged = dict(con.execute("SELECT article_id, text_hash FROM staged WHERE writes_article").fetchall())
    if not staged:
        return {}
    # `IN ?` with the ids bound as one list is an IN list DuckDB answers from the index; an
    # `IN (SELECT unnest(?))` or `= ANY(?)` scans the column, as the join did
    held = con.execute("SELECT article_id, text_hash FROM articles WHERE article_id IN ?", [list(staged)]).fetchall()
    return {article_id: text_hash != staged[article_id] for article_id, text_hash in held}


def _keep_replaced_texts(con: duckdb.DuckDBPyConnection) -> int:
    """Before the upsert overwrites them: the current texts the batch replaces go to article_versions."""
    changed = con.execute(
        """
        INSERT INTO article_versions
        SELECT a.article_id, a.text_hash, a.title, a.text, a.word_count, a.content_hash,
               a.extractor_version, a.text_since, a.last_seen, s.seen_at
        FROM articles a JOIN staged s ON s.article_id = a.article_id AND s.writes_article
        WHERE a.text_hash IS DISTINCT FROM s.text_hash
        ON CONFLICT (article_id, text_hash) DO UPDATE SET
            first_seen = least(article_versions.first_seen, excluded.first_seen),
            last_seen = greatest(article_versions.last_seen, excluded.last_seen),
            superseded_at = excluded.superseded_at
        """
    ).fetchone()
    return int(changed[0]) if changed else 0


def _replace_children(con: duckdb.DuckDBPyConnection, replace_existing: bool) -> None:
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE staged_children AS
        SELECT article_id, authors, tags, quotes FROM staged WHERE writes_article
        """
    )
    con.execute(
        """
        INSERT INTO authors
        SELECT a.author_id, any_value(a.name) FROM (SELECT unnest(authors) AS a FROM staged_children)
        GROUP BY a.author_id ON CONFLICT DO NOTHING
        """
    )
    con.execute(
        """
        INSERT INTO tags
        SELECT t.tag_id, any_value(t.kind), any_value(t.name) FROM (SELECT unnest(tags) AS t FROM staged_children)
        GROUP BY t.tag_id ON CONFLICT DO NOTHING
        """
    )
    con.execute(
        """
        INSERT INTO speakers
        SELECT q.speaker_id, any_value(q.speaker) FROM (SELECT unnest(quotes) AS q FROM staged_children)
        WHERE q.speaker_id IS NOT NULL GROUP BY q.speaker_id ON CONFLICT DO NOTHING
        """
    )
    for child in ("article_authors", "article_tags", "quotes") if replace_existing else ():
        con.execute(f"DELETE FROM {child} WHERE article_id IN (SELECT article_id FROM staged_children)")
    con.execute(
        """
        INSERT INTO article_authors (article_id, author_id, position)
        SELECT article_id, a.author_id, a.position FROM (SELECT article_id, unnest(authors) AS a FROM staged_children)
        """
    )
    con.execute(
        """
        INSERT INTO article_tags (article_id, tag_id)
        SELECT article_id, t.tag_id FROM (SELECT article_id, unnest(tags) AS t FROM staged_children)
        """
    )
    con.execute(
        """
        INSERT INTO quotes (quote_id, article_id, position, quote, kind, cue, speaker_id,
                            speaker_as_written, role, start_offset, end_offset, paragraph, confidence)
        SELECT q.quote_id, article_id, q.position, q.quote, q.kind, q.cue, q.speaker_id,
               q.speaker_as_written, q.role, q.start_offset, q.end_offset, q.paragraph, q.confidence
        FROM (SELECT article_id, unnest(quotes) AS q FROM staged_children)
        """
    )
    con.execute("DROP TABLE staged_children")


def _record_parses(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        INSERT OR REPLACE INTO parses
        SELECT fetch_id, run_id, url, page_source_id, status, error, article_id,
               coalesce(word_count, 0), published_iso IS NOT NULL, len(authors) > 0, len(quotes),
               extractor_version, seen_at
        FROM staged
        """
    )


# The fetches rows of a run, as read_json takes them (warehouse.rows.FetchRow's fields).
_STAGE_FETCHES = (
    "CREATE OR REPLACE TEMP TABLE batch_fetches AS SELECT * FROM read_json(?, format = 'newline_delimited', "
    "columns = {'fetch_id': 'VARCHAR', 'run_id': 'VARCHAR', 'url': 'VARCHAR', 'final_url': 'VARCHAR', "
    "'source_id': 'VARCHAR', 'outcome': 'VARCHAR', 'http_status': 'INTEGER', 'content_type': 'VARCHAR', "
    "'bytes': 'BIGINT', 'content_hash': 'VARCHAR', 'attempts': 'INTEGER', 'elapsed_ms': 'DOUBLE', "
    "'error': 'VARCHAR', 'fetched_at': 'TIMESTAMPTZ'})"
)


def record_fetches(con: duckdb.DuckDBPyConnection, rows: Sequence[FetchRow], run_id: str) -> int:
    """One row per URL and run: the outcome of its last attempt and how many attempts it took."""
    records = [
        {
            "fetch_id": make_key(run_id, row.url), "run_id": run_id, "url": row.url,
            "final_url": row.final_url, "source_id": source_of(row.url),
            "outcome": row.outcome, "http_status": row.http_status,
            "content_type": row.content_type, "bytes": row.bytes,
            "content_hash": row.content_hash, "attempts": row.attempts,
            "elapsed_ms": row.elapsed_ms, "error": row.error, "fetched_at": row.fetched_at,
        }
        for row in {row.url: row for row in rows}.values()
    ]
    if not records:
        return 0
    with temporary_json_lines(records) as path:
        con.execute(_STAGE_FETCHES, [str(path)])
    con.execute(
        """
        INSERT OR REPLACE INTO fetches
        SELECT fetch_id, run_id, url, final_url, source_id, outcome, http_status, content_type, bytes,
               content_hash, attempts, elapsed_ms, error, fetched_at
        FROM batch_fetches
        """
    )
    # Not in a `finally`: see warehouse.fetch_state.save_validators.
    con.execute("DROP TABLE batch_fetches")
    return len(records)


def record_run(con: duckdb.DuckDBPyConnection, run: RunRow) -> None:
    con.execute(
        "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?)",
        [run.run_id, run.flow_name, run.started_at, run.finished_at, run.urls, json.dumps(run.outcomes)],
    )


def record_run_end(con: duckdb.DuckDBPyConnection, fetches: Sequence[FetchRow], run: RunRow,
                   validators: Sequence[ValidatorRow] = ()) -> None:
    """The end of a run in one transaction: its fetches rows, its runs row and the validators the
    servers sent (warehouse.fetch_state): one open of the file and one task at the end of a run,
    not one for the validators and one for the rest (docs/BENCHMARKS.md, "Start-up")."""
    con.execute("BEGIN TRANSACTION")
    try:
        record_fetches(con, fetches, run.run_id)
        record_run(con, run)
        save_validators(con, validators)
        con.execute("COMMIT")
    except duckdb.Error:
        con.execute("ROLLBACK")   # a run is recorded whole or not at all
        raise
