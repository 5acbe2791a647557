"""What the fetch side remembers between runs: validators for conditional GET, and which URLs are
already loaded (so that a rerun does not fetch them again unless a refresh is asked for).

Reads open the file read-only for the query only and answer "nothing known" for a file that does
not exist yet or predates migration 0010; writes take the caller's read-write connection (from
warehouse.db.open_writer), like the loader.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from warehouse.db import connect
from warehouse.jsonlines import temporary_json_lines


@dataclass(frozen=True)
class ValidatorRow:
    url: str
    kind: str                       # page, feed, sitemap
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    http_status: int | None
    checked_at: datetime
    changed: bool                   # a new body came back (200), not a 304


@dataclass(frozen=True)
class StoredValidators:
    etag: str | None
    last_modified: str | None
    content_hash: str | None


def _read(path: str | Path, sql: str, urls: Sequence[str]) -> list[tuple]:
    if not urls or not Path(path).exists():
        return []
    con = connect(path, read_only=True)
    try:
        return con.execute(sql, [list(urls)]).fetchall()
    except duckdb.CatalogException:
        return []   # a file from before this table (or before any article) knows nothing yet
    finally:
        con.close()


def read_validators(path: str | Path, urls: Iterable[str]) -> dict[str, StoredValidators]:
    """Stored ETag/Last-Modified for those of `urls` fetched before."""
    rows = _read(path, """
        SELECT url, etag, last_modified, content_hash FROM fetch_state
        WHERE url IN (SELECT unnest(?::VARCHAR[])) AND (etag IS NOT NULL OR last_modified IS NOT NULL)
        """, list(dict.fromkeys(urls)))
    return {url: StoredValidators(etag, modified, digest) for url, etag, modified, digest in rows}


def loaded_urls(path: str | Path, urls: Iterable[str]) -> set[str]:
    """Those of `urls` that an article was loaded from or is known by (url or canonical_url)."""
    rows = _read(path, """
        SELECT u FROM (SELECT unnest(?::VARCHAR[]) AS u) wanted
        WHERE u IN (SELECT canonical_url FROM articles) OR u IN (SELECT url FROM articles)
        """, list(dict.fromkeys(urls)))
    return {row[0] for row in rows}


_STAGE_VALIDATORS = (
    "CREATE OR REPLACE TEMP TABLE batch_fetch_state AS SELECT * FROM read_json(?, format = 'newline_delimited', "
    "columns = {'url': 'VARCHAR', 'kind': 'VARCHAR', 'etag': 'VARCHAR', 'last_modified': 'VARCHAR', "
    "'content_hash': 'VARCHAR', 'http_status': 'INTEGER', 'checked_at': 'TIMESTAMPTZ', 'changed': 'BOOLEAN'})"
)


def save_validators(con: duckdb.DuckDBPyConnection, rows: Sequence[ValidatorRow]) -> int:
    """Upserts one row per URL; a 304 (changed=False) keeps the stored validators it did not resend."""
    latest = {row.url: row for row in rows}
    if not latest:
        return 0
    with temporary_json_lines(asdict(row) for row in latest.values()) as path:
        con.execute(_STAGE_VALIDATORS, [str(path)])
    con.execute("""
        INSERT INTO fetch_state AS old
        SELECT url, kind, etag, last_modified, content_hash, http_status, checked_at,
               CASE WHEN changed THEN checked_at END
        FROM batch_fetch_state
        ON CONFLICT (url) DO UPDATE SET
            kind = excluded.kind,
            etag = CASE WHEN excluded.changed_at IS NULL THEN coalesce(excluded.etag, old.etag) ELSE excluded.etag END,
            last_modified = CASE WHEN excluded.changed_at IS NULL
                                 THEN coalesce(excluded.last_modified, old.last_modified)
                                 ELSE excluded.last_modified END,
            content_hash = coalesce(excluded.content_hash, old.content_hash),
            http_status = excluded.http_status,
            checked_at = excluded.checked_at,
            changed_at = coalesce(excluded.changed_at, old.changed_at)
        """)
    # Not in a `finally`: after a failure inside the caller's transaction (warehouse.loader.
    # record_run_end) DuckDB refuses every statement until the ROLLBACK, this one too, and would
    # hide the real error; a table left behind is replaced by the next CREATE OR REPLACE.
    con.execute("DROP TABLE batch_fetch_state")
    return len(latest)
