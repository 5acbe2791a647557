"""The metadata dataclasses (re-exported by tasks/metadata.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tag:
    kind: str  # "keyword" | "category" | "country" | "topic"
    name: str


@dataclass(frozen=True)
class DateValue:
    value: str  # ISO 8601 as the page states it, offset when known; YYYY-MM-DD when only the day
    raw: str  # the raw string found
    source: str  # "jsonld", "opengraph", "meta", "microdata", "time", "byline", "url", "htmldate", "feed"


@dataclass(frozen=True)
class Metadata:
    title: str | None
    authors: tuple[str, ...]
    published: DateValue | None
    updated: DateValue | None
    language: str | None
    site_name: str | None
    description: str | None
    canonical_url: str | None
    agency: str | None
    dateline: str | None
    image: str | None
    tags: tuple[Tag, ...]
    sources: tuple[tuple[str, str], ...]  # (field, winning source) for every field found


EMPTY_METADATA = Metadata(None, (), None, None, None, None, None, None, None, None, None, (), ())
