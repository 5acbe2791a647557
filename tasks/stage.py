"""Parsed batches -> durable batch files on disk, written atomically, waiting for the load.

A staged batch survives a crash of everything after it: the load removes the file only after
its transaction committed, and the next run loads whatever an earlier run left behind
(tasks.load.load_staged_batches). The file holds the batch's records of warehouse/batch.py as
JSON lines, which DuckDB reads for the load and anyone can read to look at a waiting batch.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.discover import resolve_canonical
from tasks.parse import ParsedPage
from tasks.settings import Settings
from warehouse.batch import Batch, make_batch
from warehouse.jsonlines import open_for_json_lines, write_json_lines
from warehouse.keys import make_key
from warehouse.rows import ArticleRow, PageRow, QuoteRow

STAGED_SUFFIX = ".jsonl"
# What an older version staged (a Parquet batch, format 1): still listed, and loaded.
LEGACY_SUFFIX = ".parquet"


def stage_dir_of(settings: Settings) -> Path:
    """The staging folder: the setting, or "<db file>.staging" beside the DuckDB file, so that
    two warehouses never share (and never load each other's) batches."""
    if settings.stage_dir is not None:
        return Path(settings.stage_dir)
    db = Path(settings.db_path)
    return db.with_name(db.name + ".staging")


def article_row(page: ParsedPage, fetched_url: str) -> ArticleRow:
    meta = page.metadata
    published, updated = meta.published, meta.updated
    return ArticleRow(
        url=fetched_url,
        canonical_url=resolve_canonical(fetched_url, meta.canonical_url),
        title=meta.title, description=meta.description, site_name=meta.site_name,
        language=meta.language, text=page.text,
        published_iso=published.value if published else None,
        published_raw=published.raw if published else None,
        published_source=published.source if published else None,
        updated_iso=updated.value if updated else None,
        updated_raw=updated.raw if updated else None,
        updated_source=updated.source if updated else None,
        agency=meta.agency, dateline=meta.dateline, image=meta.image,
        content_hash=page.content_hash, extractor_version=page.extractor_version,
        authors=tuple(meta.authors),
        tags=tuple((tag.kind, tag.name) for tag in meta.tags),
        quotes=tuple(
            QuoteRow(q.quote, q.kind, q.cue, q.speaker, q.speaker_as_written, q.role,
                     q.start, q.end, q.paragraph, q.confidence)
            for q in page.quotes
        ),
    )


def page_row(page: ParsedPage, fetched_url: str) -> PageRow:
    """Every page is recorded (for per-source health); only an ok page carries an article."""
    article = article_row(page, fetched_url) if page.status == "ok" and page.metadata else None
    status = page.status if article or page.status != "ok" else "parse_failed"
    error = page.error if article or page.status != "ok" else "ok page without metadata"
    return PageRow(fetched_url, status, error, article, page.extractor_version)


def staged_name(run_id: str, urls: Sequence[str]) -> str:
    """Same run and pages -> same name, so a retried load overwrites its batch instead of adding one."""
    return f"batch-{make_key(run_id, *urls)}{STAGED_SUFFIX}"


def stage_pages(pages: Sequence[ParsedPage], fetched_urls: Sequence[str], run_id: str,
                settings: Settings) -> Path:
    """Writes one parsed batch as a staged file and returns its path."""
    rows = [page_row(page, url) for page, url in zip(pages, fetched_urls, strict=True)]
    batch = make_batch(rows, run_id, datetime.now(timezone.utc))
    return write_staged_batch(batch, stage_dir_of(settings), staged_name(run_id, fetched_urls))


def write_staged_batch(batch: Batch, stage_dir: Path, name: str) -> Path:
    """Atomic: the file appears under its name complete and on disk, or not at all."""
    stage_dir.mkdir(parents=True, exist_ok=True)
    final = stage_dir / name
    temporary = stage_dir / f".{name}.{os.getpid()}.tmp"
    with open_for_json_lines(temporary) as handle:
        write_json_lines(batch, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, final)
    _sync_directory(stage_dir)
    return final


def list_staged_batches(stage_dir: Path) -> list[Path]:
    """Waiting batches, oldest first (temporary files of a write in progress are not listed)."""
    if not stage_dir.is_dir():
        return []
    found = []
    for path in [*stage_dir.glob(f"batch-*{STAGED_SUFFIX}"), *stage_dir.glob(f"batch-*{LEGACY_SUFFIX}")]:
        try:
            found.append((path.stat().st_mtime_ns, path.name, path))
        except FileNotFoundError:
            continue  # loaded and removed by another run between glob and stat
    return [path for _, _, path in sorted(found)]


def _sync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@task(name="stage", cache_policy=NO_CACHE)
def stage_batch(pages: list[ParsedPage], fetched_urls: list[str], run_id: str, settings: Settings) -> Path:
    return stage_pages(pages, fetched_urls, run_id, settings)
