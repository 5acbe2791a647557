"""Sitemaps (sitemaps.org), sitemap indexes, Google News sitemaps, gzipped or not, and plain-text
sitemaps: parsing is a plain function; `expand_sitemaps` fetches an index's children through
tasks.fetch.

Entries keep their hints: a Google News entry's title and publication date, a plain entry's
lastmod. `since` drops entries (and whole child sitemaps of an index) last changed before it, so
a daily run of a large site reads only what is new.
"""
from __future__ import annotations

import zlib
from collections import deque
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from urllib.parse import urljoin

from lxml import etree
from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.discover import Candidate
from tasks import netguard
from tasks.fetch import SITEMAP_TYPES, FetchResult, Validators, fetch_url, listed_sitemaps
from tasks.robots import robots_url
from tasks.settings import Settings

# sitemaps.org: at most 50 MB uncompressed and 50,000 URLs per file.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
MAX_SITEMAPS = 200


def _parser() -> etree.XMLParser:
    """No DTDs, no entities, no network: a sitemap is untrusted XML. (A parser per call: lxml
    parsers must not be shared between threads.)"""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           recover=True, remove_comments=True)


@dataclass(frozen=True)
class SitemapParseResult:
    sitemap_url: str
    status: str                          # ok, empty, malformed, too_large, not_modified, unavailable
    kind: str = "urlset"                 # urlset, index, text
    candidates: tuple[Candidate, ...] = ()
    sitemaps: tuple[str, ...] = ()       # an index's children (after the `since` filter)
    sitemap_dates: tuple[str | None, ...] = ()   # their lastmod, in the same order
    error: str | None = None


def gunzip_capped(body: bytes, cap: int = MAX_SITEMAP_BYTES) -> bytes:
    """A .xml.gz sitemap's content; raises ValueError past `cap` bytes (a gzip bomb) or when corrupt."""
    decoder = zlib.decompressobj(47)
    try:
        out = decoder.decompress(body, cap + 1)
    except zlib.error as error:
        raise ValueError(f"corrupt gzip: {error}") from error
    if len(out) > cap:
        raise ValueError(f"sitemap over {cap} bytes decompressed")
    return out


def parse_sitemap(body: bytes, sitemap_url: str) -> SitemapParseResult:
    """A urlset, an index or a text sitemap; a broken one gets a status, never an exception."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip_capped(body)
        except ValueError as error:
            status = "too_large" if "over" in str(error) else "malformed"
            return SitemapParseResult(sitemap_url, status, error=str(error))
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] != b"<":
        return _parse_text(stripped, sitemap_url)
    try:
        root = etree.fromstring(stripped, _parser())
    except etree.XMLSyntaxError as error:
        return SitemapParseResult(sitemap_url, "malformed", error=str(error))
    if root is None:
        return SitemapParseResult(sitemap_url, "malformed", error="no XML root")
    if _local(root) == "sitemapindex":
        entries = list(_index_entries(root))
        return SitemapParseResult(sitemap_url, "ok" if entries else "empty", "index",
                                  sitemaps=tuple(loc for loc, _ in entries),
                                  sitemap_dates=tuple(date for _, date in entries))
    if _local(root) != "urlset":
        return SitemapParseResult(sitemap_url, "malformed", error=f"root element {_local(root)}")
    candidates = tuple(_url_entries(root, sitemap_url))
    return SitemapParseResult(sitemap_url, "ok" if candidates else "empty", "urlset", candidates)


def _parse_text(body: bytes, sitemap_url: str) -> SitemapParseResult:
    lines = body.decode("utf-8", errors="replace").splitlines()
    urls = [line.strip() for line in lines if line.strip().lower().startswith(("http://", "https://"))]
    candidates = tuple(Candidate(url, sitemap_url) for url in urls)
    return SitemapParseResult(sitemap_url, "ok" if candidates else "empty", "text", candidates)


def _local(element) -> str:
    """The tag's local name; an undeclared prefix ("news:news") is read as written, not raised."""
    if not isinstance(element.tag, str):
        return ""
    return element.tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _child_text(element, *path: str) -> str | None:
    """Text of the first descendant along `path` of local names, whatever the namespaces."""
    current = element
    for name in path:
        current = next((c for c in current if _local(c) == name), None)
        if current is None:
            return None
    text = (current.text or "").strip()
    return text or None


def _index_entries(root):
    for sitemap in root:
        if _local(sitemap) == "sitemap":
            loc = _child_text(sitemap, "loc")
            if loc:
                yield loc, _child_text(sitemap, "lastmod")


def _url_entries(root, sitemap_url: str):
    for url in root:
        if _local(url) != "url":
            continue
        loc = _child_text(url, "loc")
        if not loc:
            continue
        yield Candidate(
            url=loc, origin=sitemap_url,
            title=_child_text(url, "news", "title"),
            published=_child_text(url, "news", "publication_date"),
            updated=_child_text(url, "lastmod"),
        )


def parse_w3c_date(value: str | None) -> datetime | None:
    """A sitemap date (W3C datetime: a day, or a time with its offset) as an aware datetime."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def keep_since(result: SitemapParseResult, since: datetime | None) -> SitemapParseResult:
    """Drops entries dated before `since` (publication date, else lastmod), and an index's
    children last modified before it; undated ones stay."""
    if since is None:
        return result

    def recent(value: str | None) -> bool:
        when = parse_w3c_date(value)
        return when is None or when >= since

    candidates = tuple(c for c in result.candidates if recent(c.published or c.updated))
    children = [(s, d) for s, d in zip(result.sitemaps, result.sitemap_dates, strict=True) if recent(d)]
    return replace(result, candidates=candidates, sitemaps=tuple(s for s, _ in children),
                   sitemap_dates=tuple(d for _, d in children))


def parse_sitemap_fetch(fetched: FetchResult, since: datetime | None = None) -> SitemapParseResult:
    if fetched.outcome == "not_modified":
        return SitemapParseResult(fetched.url, "not_modified")
    if fetched.outcome != "fetched":
        return SitemapParseResult(fetched.url, "unavailable", error=fetched.error or fetched.outcome)
    return keep_since(parse_sitemap(fetched.body, fetched.final_url or fetched.url), since)


def expand_sitemaps(sitemap_urls: list[str], settings: Settings, since: datetime | None = None,
                    validators: dict[str, Validators] | None = None,
                    max_sitemaps: int = MAX_SITEMAPS) -> tuple[list[Candidate], list[SitemapParseResult], list[FetchResult]]:
    """Fetches the sitemaps and, breadth first, the children of indexes (each sitemap once, at most
    `max_sitemaps`); returns the entries, one parse result per sitemap, and the fetches."""
    capped = replace(settings, max_body_bytes=max(settings.max_body_bytes, MAX_SITEMAP_BYTES))
    queue, seen = deque(sitemap_urls), set()
    candidates, results, fetches = [], [], []
    while queue and len(seen) < max_sitemaps:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        fetched = fetch_url(url, capped, SITEMAP_TYPES, (validators or {}).get(url))
        fetches.append(fetched)
        parsed = parse_sitemap_fetch(fetched, since)
        results.append(parsed)
        candidates.extend(parsed.candidates)
        queue.extend(child for child in parsed.sitemaps if child not in seen)
    return candidates, results, fetches


def sitemaps_from_robots(site_urls: list[str], settings: Settings) -> tuple[list[str], list[tuple[str, str]]]:
    """The Sitemap: lines of each site's robots.txt (fetched once per host, as for any fetch);
    a site without any gets its conventional /sitemap.xml. A site URL that cannot be fetched
    (not http(s), no host, unparseable) comes back with the reason instead, so the run records
    it and goes on."""
    found: list[str] = []
    refused: list[tuple[str, str]] = []
    for site in site_urls:
        try:
            netguard.split_host(site)
        except netguard.BadUrl as error:
            refused.append((site, str(error)))
            continue
        found.extend(listed_sitemaps(site, settings) or [urljoin(robots_url(site), "/sitemap.xml")])
    return list(dict.fromkeys(found)), refused


@task(name="find-site-sitemaps", cache_policy=NO_CACHE)
def find_site_sitemaps(site_urls: list[str], settings: Settings) -> tuple[list[str], list[tuple[str, str]]]:
    return sitemaps_from_robots(site_urls, settings)


@task(name="discover-sitemaps", cache_policy=NO_CACHE)
def discover_sitemaps(sitemap_urls: list[str], settings: Settings, since: datetime | None = None,
                      validators: dict[str, Validators] | None = None) -> tuple[list[Candidate], list[SitemapParseResult], list[FetchResult]]:
    return expand_sitemaps(sitemap_urls, settings, since, validators)
