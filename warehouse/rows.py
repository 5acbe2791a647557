"""What the loader accepts: plain rows, free of any parser type, so warehouse/ depends on nothing above it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class QuoteRow:
    quote: str
    kind: str
    cue: str | None
    speaker: str | None
    speaker_as_written: str | None
    role: str | None
    start: int
    end: int
    paragraph: int
    confidence: float


@dataclass(frozen=True)
class ArticleRow:
    url: str
    canonical_url: str
    title: str | None
    description: str | None
    site_name: str | None
    language: str | None
    text: str
    published_iso: str | None
    published_raw: str | None
    published_source: str | None
    updated_iso: str | None
    updated_raw: str | None
    updated_source: str | None
    agency: str | None
    dateline: str | None
    image: str | None
    content_hash: str
    extractor_version: str
    authors: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()      # (kind, name)
    quotes: tuple[QuoteRow, ...] = ()


@dataclass(frozen=True)
class PageRow:
    """One page handed to the loader: its parse status, and its article when the status is ok."""

    url: str                      # the URL as fetched (the fetches table's url)
    status: str                   # ok, no_text, binary, parse_failed
    error: str | None = None
    article: ArticleRow | None = None
    extractor_version: str | None = None


@dataclass(frozen=True)
class FetchRow:
    url: str
    final_url: str | None
    outcome: str
    http_status: int | None
    content_type: str | None
    bytes: int | None
    content_hash: str | None
    attempts: int
    elapsed_ms: float | None
    error: str | None
    fetched_at: datetime


@dataclass(frozen=True)
class RunRow:
    run_id: str
    flow_name: str
    started_at: datetime
    finished_at: datetime
    urls: int
    outcomes: dict[str, int] = field(default_factory=dict)
