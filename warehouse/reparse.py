"""Which loaded articles a reprocess run should parse again from the raw archive."""
from __future__ import annotations

from pathlib import Path

from warehouse.queries import run_query


def articles_to_reparse(db_path: str | Path, extractor_version: str, everything: bool = False) -> list[tuple[str, str]]:
    """(fetched URL, content hash) of the articles a different extractor version produced,
    or of every article when asked."""
    sql = "SELECT url, content_hash FROM articles"
    params: list = []
    if not everything:
        sql += " WHERE extractor_version <> ?"
        params.append(extractor_version)
    return [(url, digest) for url, digest in run_query(db_path, sql + " ORDER BY url", params).rows]
