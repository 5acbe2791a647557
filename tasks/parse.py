"""Raw page bytes -> ParsedPage: the parse steps (tasks/parse_steps.py) as a Prefect task per batch,
on worker processes, and the JSON record `newsdesk parse` prints.

One code path serves `newsdesk parse` (parse_html) and the flows (parse_batch): both run the same
steps in the same order.
"""
from __future__ import annotations

from collections import Counter
from functools import partial
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks import parse_pool
from tasks.parse_steps import (PAGE_ERRORS, PARSE_STEPS, ArchivedPage, ParsedBatch, ParsedPage, decode_archived,
                               decode_body, decode_page, parse_archived, parse_html, run_steps, worker_died)
from tasks.quotes import Quote

__all__ = ["PAGE_ERRORS", "PARSE_STEPS", "ArchivedPage", "ParsedBatch", "ParsedPage", "decode_archived", "decode_body",
           "decode_page", "page_record", "parse_archived", "parse_batch", "parse_html", "quote_record", "run_steps"]


# A thin Prefect wrapper: one task per batch for the whole parse, because a task run costs about
# 5 ms and parsing a page about as much; the time of each step is still recorded (ParsedBatch).
@task(name="parse", cache_policy=NO_CACHE)
def parse_batch(items: list[ArchivedPage], archive_dir: Path, processes: int = 0) -> ParsedBatch:
    """Parses a batch on `processes` worker processes (tasks/parse_pool.py), or in this thread."""
    processes = parse_pool.use_processes(processes, len(items))
    if processes == 0:
        parsed = parse_archived(archive_dir, items)
    else:
        parsed = parse_pool.map_chunks(partial(parse_archived, archive_dir), items, processes, worker_died)
    seconds: Counter[str] = Counter()
    for _, page_seconds in parsed:
        seconds.update(page_seconds)
    return ParsedBatch([page for page, _ in parsed], dict(seconds))


def page_record(page: ParsedPage) -> dict:
    """The JSON form printed by `newsdesk parse`: the stable contract quality is measured through."""
    meta = page.metadata
    return {
        "url": page.url,
        "status": page.status,
        "error": page.error,
        "title": meta.title if meta else None,
        "authors": list(meta.authors) if meta else [],
        "published_at": meta.published.value if meta and meta.published else None,
        "updated_at": meta.updated.value if meta and meta.updated else None,
        "language": meta.language if meta else None,
        "site_name": meta.site_name if meta else None,
        "description": meta.description if meta else None,
        "canonical_url": meta.canonical_url if meta else None,
        "agency": meta.agency if meta else None,
        "dateline": meta.dateline if meta else None,
        "image": meta.image if meta else None,
        "tags": [{"kind": tag.kind, "name": tag.name} for tag in meta.tags] if meta else [],
        "text": page.text,
        "quotes": [quote_record(quote) for quote in page.quotes],
        "content_hash": page.content_hash,
        "extractor_version": page.extractor_version,
    }


def quote_record(quote: Quote) -> dict:
    return {
        "quote": quote.quote, "speaker": quote.speaker, "speaker_as_written": quote.speaker_as_written,
        "role": quote.role, "cue": quote.cue, "kind": quote.kind, "start": quote.start,
        "end": quote.end, "paragraph": quote.paragraph, "confidence": quote.confidence,
        "continues": quote.continues, "content_start": quote.content_start,
        "content_end": quote.content_end,
    }
