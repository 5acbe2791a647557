"""A batch as nested records, one per page: the staged file's content and what the loader reads.

One record per page handed to the loader; an ok page carries its article's columns and its
authors, tags and quotes as nested lists. Every key is computed here, in Python, once
(warehouse/keys.py), so that the SQL side only moves rows and the staged file alone is enough to
load the batch. The records are plain dicts: the staged file is their JSON lines (tasks/stage.py)
and DuckDB reads it with the column types of warehouse/loader.py (`STAGED_COLUMNS`). No Arrow:
pyarrow, imported for them alone, weighed on the flow process (docs/BENCHMARKS.md, "Peak memory").
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from warehouse.keys import fold_name, make_key, source_of
from warehouse.rows import ArticleRow, PageRow, QuoteRow

# Bumped when the layout below changes, so a loader can refuse a staged file it cannot read.
# Format 1 was a Parquet file written with pyarrow (the loader still reads one left waiting).
BATCH_FORMAT = "newsdesk-batch-2"
LEGACY_BATCH_FORMAT = "newsdesk-batch-1"
ARTICLE_TEXT_COLUMNS = [
    "canonical_url", "title", "description", "site_name", "language", "text",
    "published_iso", "published_raw", "published_source", "updated_iso", "updated_raw",
    "updated_source", "agency", "dateline", "image", "content_hash",
]
# Every record has these keys (absent article fields are null): the staged file's columns.
BATCH_FIELDS = (
    ["format", "fetch_id", "run_id", "url", "page_source_id", "status", "error", "extractor_version",
     "seen_at", "article_id", "writes_article", "source_id"]
    + ARTICLE_TEXT_COLUMNS + ["word_count", "text_hash", "authors", "tags", "quotes"]
)
Batch = list[dict]


def article_key(row: ArticleRow) -> str:
    return make_key(row.canonical_url or row.url)


def text_digest(text: str) -> str:
    """sha256 of the text, hex: DuckDB's sha256(text) gives the same, which migration 0003 uses."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_batch(pages: Sequence[PageRow], run_id: str, seen_at: datetime) -> Batch:
    """Pages -> the batch's records. A page seen twice keeps its last record; so does an article."""
    unique = list({make_key(run_id, page.url): page for page in pages}.values())
    last_page_of = {article_key(p.article): i for i, p in enumerate(unique) if p.article and p.status == "ok"}
    return [_page_record(page, run_id, seen_at, last_page_of, i) for i, page in enumerate(unique)]


def article_batch(rows: Sequence[ArticleRow], run_id: str, seen_at: datetime) -> Batch:
    """Articles loaded directly (tests, benchmarks, imports): each one an ok page at its own URL."""
    return make_batch([PageRow(row.url, "ok", None, row, row.extractor_version) for row in rows], run_id, seen_at)


def _page_record(page: PageRow, run_id: str, seen_at: datetime, last_page_of: dict, index: int) -> dict:
    record = dict.fromkeys(BATCH_FIELDS)
    record.update({
        "format": BATCH_FORMAT, "fetch_id": make_key(run_id, page.url), "run_id": run_id, "url": page.url,
        "page_source_id": source_of(page.url), "status": page.status, "error": page.error,
        "extractor_version": page.extractor_version, "seen_at": seen_at,
        "writes_article": False, "authors": [], "tags": [], "quotes": [],
    })
    if page.status == "ok" and page.article is not None:
        article_id = article_key(page.article)
        record.update(_article_record(page.article, article_id))
        record["writes_article"] = last_page_of[article_id] == index
    return record


def _article_record(row: ArticleRow, article_id: str) -> dict:
    canonical = row.canonical_url or row.url
    record = {name: getattr(row, name) for name in ARTICLE_TEXT_COLUMNS}
    record.update(
        article_id=article_id, source_id=source_of(canonical), canonical_url=canonical,
        extractor_version=row.extractor_version, word_count=len(row.text.split()),
        text_hash=text_digest(row.text), authors=_author_records(row.authors),
        tags=_tag_records(row.tags), quotes=_quote_records(row.quotes, article_id),
    )
    return record


def _author_records(names: Sequence[str]) -> list[dict]:
    return [{"author_id": make_key(fold_name(name)), "name": name, "position": position}
            for position, name in enumerate(names)]


def _tag_records(tags: Sequence[tuple[str, str]]) -> list[dict]:
    # Tags differing only in case or spacing are one tag: keep the first spelling.
    unique: dict[str, dict] = {}
    for kind, name in tags:
        tag_id = make_key(kind, fold_name(name))
        unique.setdefault(tag_id, {"tag_id": tag_id, "kind": kind, "name": name})
    return list(unique.values())


def _quote_records(quotes: Sequence[QuoteRow], article_id: str) -> list[dict]:
    # A quote is keyed by where it starts; two quotes found at one offset are one quote.
    unique: dict[str, dict] = {}
    for quote in quotes:
        quote_id = make_key(article_id, quote.start)
        unique.setdefault(quote_id, {
            "quote_id": quote_id, "position": len(unique), "quote": quote.quote, "kind": quote.kind,
            "cue": quote.cue, "speaker_id": make_key(fold_name(quote.speaker)) if quote.speaker else None,
            "speaker": quote.speaker, "speaker_as_written": quote.speaker_as_written,
            "role": quote.role, "start_offset": quote.start, "end_offset": quote.end,
            "paragraph": quote.paragraph, "confidence": quote.confidence,
        })
    return list(unique.values())
