"""Turning what the user gave (URLs, files of URLs, feeds) into canonical, de-duplicated candidates.

Parsing is plain functions; fetching a feed goes through tasks.fetch like any other request.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag

import courlan
import feedparser
from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.fetch import FetchResult

FEED_ACCEPT = ("xml", "rss", "atom")


@dataclass(frozen=True)
class Candidate:
    url: str
    origin: str                     # "argument", "file", or the feed's URL
    title: str | None = None        # feed hints, fallbacks for the page's own metadata
    published: str | None = None
    author: str | None = None

    def hints(self) -> dict[str, str]:
        return {k: v for k, v in (("title", self.title), ("published", self.published),
                                  ("author", self.author)) if v}


@dataclass(frozen=True)
class FeedParseResult:
    feed_url: str
    status: str                     # ok, malformed, empty
    candidates: tuple[Candidate, ...] = ()
    error: str | None = None


def canonicalize_url(url: str) -> str:
    """Drops fragments and tracking parameters and normalizes scheme and host (courlan's rules)."""
    cleaned = courlan.clean_url(url.strip()) or url.strip()
    # Not strict: strict mode also drops parameters such as ?id=123 that identify articles.
    normalized = courlan.normalize_url(cleaned, strict=False)
    return urldefrag(normalized).url


def read_url_file(path: Path) -> list[str]:
    """One URL a line; blank lines and lines starting with # are skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def parse_feed(body: bytes, feed_url: str) -> FeedParseResult:
    """RSS or Atom entries with their hints; a broken feed gives a status, never an exception."""
    parsed = feedparser.parse(body, response_headers={"content-location": feed_url})
    entries = [entry for entry in parsed.entries if entry.get("link")]
    if parsed.bozo and not entries:
        return FeedParseResult(feed_url, "malformed", error=str(parsed.get("bozo_exception")))
    candidates = tuple(
        Candidate(
            url=entry["link"], origin=feed_url, title=entry.get("title"),
            published=entry.get("published") or entry.get("updated"), author=entry.get("author"),
        )
        for entry in entries
    )
    return FeedParseResult(feed_url, "ok" if candidates else "empty", candidates)


def dedupe_candidates(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Canonical URL decides identity; the first mention wins (it carries the richest hints
    when feeds are listed before plain URLs)."""
    seen: dict[str, Candidate] = {}
    for candidate in candidates:
        url = canonicalize_url(candidate.url)
        if url not in seen:
            seen[url] = Candidate(url, candidate.origin, candidate.title, candidate.published, candidate.author)
    return list(seen.values())


def parse_feed_fetch(fetched: FetchResult) -> FeedParseResult:
    if fetched.outcome != "fetched":
        return FeedParseResult(fetched.url, "unavailable", error=fetched.error)
    return parse_feed(fetched.body, fetched.final_url or fetched.url)


@task(name="discover", cache_policy=NO_CACHE)
def discover_candidates(urls: list[str], feed_fetches: list[FetchResult]) -> tuple[list[Candidate], list[FeedParseResult]]:
    """Feed entries first (they carry hints), then the plain URLs; canonical and de-duplicated."""
    feed_results = [parse_feed_fetch(fetched) for fetched in feed_fetches]
    from_feeds = [c for result in feed_results for c in result.candidates]
    return dedupe_candidates(from_feeds + [Candidate(url, "argument") for url in urls]), feed_results
