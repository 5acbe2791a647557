"""Turning what the user gave (URLs, files of URLs, feeds) into canonical, de-duplicated candidates.

Parsing is plain functions; fetching a feed goes through tasks.fetch like any other request.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urldefrag, urlsplit, urlunsplit

import courlan
from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.fetch import FetchResult
from tasks.urls import join_url, split_url

FEED_ACCEPT = ("xml", "rss", "atom")


@dataclass(frozen=True)
class Candidate:
    url: str
    origin: str                     # "argument", "file", or the feed's URL
    title: str | None = None        # feed hints, fallbacks for the page's own metadata
    published: str | None = None
    author: str | None = None
    updated: str | None = None      # a sitemap's lastmod

    def hints(self) -> dict[str, str]:
        return {k: v for k, v in (("title", self.title), ("published", self.published),
                                  ("author", self.author), ("updated", self.updated)) if v}


@dataclass(frozen=True)
class FeedParseResult:
    feed_url: str
    status: str                     # ok, malformed, empty, not_modified, unavailable
    candidates: tuple[Candidate, ...] = ()
    error: str | None = None


def canonicalize_url(url: str) -> str:
    """Drops fragments and tracking parameters and normalizes scheme and host (courlan's rules).
    A URL urllib refuses (tasks/urls.py) is kept as given: the fetch records it as bad_url."""
    try:
        cleaned = courlan.clean_url(url.strip()) or url.strip()
        # Not strict: strict mode also drops parameters such as ?id=123 that identify articles.
        normalized = courlan.normalize_url(cleaned, strict=False)
        parts = urlsplit(urldefrag(normalized).url)
    except ValueError:
        return url.strip()
    # User info (user:password@) is dropped: a URL is an identity stored in the warehouse and
    # printed in logs, and a password must not end up there. An empty path is "/" (RFC 3986
    # 6.2.3); courlan drops the slash in some cases and not in others.
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=netloc, path=parts.path or "/"))


def resolve_canonical(fetched_url: str, declared: str | None) -> str:
    """The canonical URL of a fetched page: its rel=canonical (or og:url) when usable, else the
    URL it was fetched from, either canonicalized like every candidate. Not usable: not http(s)
    once resolved against the page, or the site's front page named as the canonical of a page
    that is not the front page (a template bug that would merge every article into one)."""
    fallback = canonicalize_url(fetched_url)
    if not declared or not declared.strip():
        return fallback
    resolved = join_url(fetched_url, declared.strip())
    parts = split_url(resolved) if resolved else None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return fallback
    canonical = canonicalize_url(resolved)
    if urlsplit(canonical).path == "/" and not parts.query and urlsplit(fallback).path != "/":
        return fallback
    return canonical


def read_url_file(path: Path) -> list[str]:
    """One URL a line; blank lines and lines starting with # are skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


# What feedparser's loose parser raises on some broken markup instead of flagging the feed as
# bozo: KeyError 'links' and AttributeError 'end_link' for "<channel><item><link></item></link>"
# (found by tests/reliability/test_bad_input_parsers.py).
FEEDPARSER_BUGS = (KeyError, AttributeError, IndexError)


def parse_feed(body: bytes, feed_url: str) -> FeedParseResult:
    """RSS or Atom entries with their hints; a broken feed gives a status, never an exception."""
    # Imported here: a run of plain URLs (the ad hoc `newsdesk ingest URL`) never parses a feed,
    # and feedparser costs about 12 ms of its start-up (docs/BENCHMARKS.md, "Start-up").
    import feedparser

    # Warnings feedparser raises for well-formed feeds, which do not make a feed malformed.
    not_xml_problems = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)
    try:
        parsed = feedparser.parse(body, response_headers={"content-location": feed_url})
    except FEEDPARSER_BUGS as error:
        return FeedParseResult(feed_url, "malformed", error=f"feedparser: {type(error).__name__}: {error}")
    entries = [entry for entry in parsed.entries if entry.get("link")]
    # feedparser flags every feed given as bytes as bozo (no content type): only a feed it could
    # not recognize, or could not parse as XML, is malformed.
    problem = parsed.get("bozo_exception")
    if not entries and (not parsed.get("version") or (problem and not isinstance(problem, not_xml_problems))):
        return FeedParseResult(feed_url, "malformed", error=str(problem or "not a feed"))
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
            seen[url] = replace(candidate, url=url)
    return list(seen.values())


def interleave_by_host(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Round robin over hosts, each host's URLs in their order. The fetch threads take URLs in
    this order and a thread waits for its host's turn (per-host delay and slots), so URLs grouped
    by host (one feed after another) would keep every thread waiting on the same host."""
    by_host: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        parts = split_url(candidate.url)
        by_host.setdefault(parts.netloc.lower() if parts else "", []).append(candidate)
    queues = list(by_host.values())
    return [queue[i] for i in range(max(map(len, queues), default=0)) for queue in queues if i < len(queue)]


def parse_feed_fetch(fetched: FetchResult) -> FeedParseResult:
    if fetched.outcome == "not_modified":
        # The feed has not changed since the last poll: its entries were seen then.
        return FeedParseResult(fetched.url, "not_modified")
    if fetched.outcome != "fetched":
        return FeedParseResult(fetched.url, "unavailable", error=fetched.error)
    return parse_feed(fetched.body, fetched.final_url or fetched.url)


@task(name="discover", cache_policy=NO_CACHE)
def discover_candidates(urls: list[str], feed_fetches: list[FetchResult],
                        sitemap_candidates: list[Candidate] | None = None) -> tuple[list[Candidate], list[FeedParseResult]]:
    """Feed entries first, then sitemap entries (both carry hints), then the plain URLs;
    canonical and de-duplicated."""
    feed_results = [parse_feed_fetch(fetched) for fetched in feed_fetches]
    from_feeds = [c for result in feed_results for c in result.candidates]
    plain = [Candidate(url, "argument") for url in urls]
    unique = dedupe_candidates(from_feeds + list(sitemap_candidates or []) + plain)
    return interleave_by_host(unique), feed_results
