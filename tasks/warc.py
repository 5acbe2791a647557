"""Backfill from web archives: HTML responses out of WARC / WARC.gz files (CC-NEWS and the like),
filtered by host and capture date, as FetchResults the flow parses like fetched pages.

No network: warcio streams the file record by record, so a 1 GB CC-NEWS file is never held in
memory; each body is read up to the same cap as a live fetch.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE
from warcio.archiveiterator import ArchiveIterator

from tasks import archive
from tasks.charset import detect_charset, header_charset
from tasks.fetch import HTML_TYPES, FetchResult
from tasks.settings import Settings
from tasks.urls import host_of


@dataclass(frozen=True)
class WarcFilter:
    hosts: frozenset[str] = frozenset()   # host names; a page of a subdomain matches too; empty = all
    since: datetime | None = None         # capture date (WARC-Date), inclusive
    until: datetime | None = None         # exclusive

    def wants_host(self, url: str) -> bool:
        if not self.hosts:
            return True
        host = host_of(url).removeprefix("www.")
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def wants_date(self, when: datetime | None) -> bool:
        if when is None:
            return self.since is None and self.until is None
        return (self.since is None or when >= self.since) and (self.until is None or when < self.until)


def make_filter(hosts: list[str] | None = None, since: datetime | None = None,
                until: datetime | None = None) -> WarcFilter:
    return WarcFilter(frozenset(h.lower().removeprefix("www.") for h in hosts or ()), since, until)


@dataclass
class WarcScan:
    """What a scan skipped and why (the pages themselves are yielded)."""
    skipped: Counter = field(default_factory=Counter)


def _capture_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def iter_warc_pages(path: Path, wanted: WarcFilter, max_body_bytes: int,
                    scan: WarcScan | None = None) -> Iterator[FetchResult]:
    """HTML 200 responses of the wanted hosts and dates, in file order."""
    scan = scan if scan is not None else WarcScan()
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            reason = _skip_reason(record, url, wanted)
            if reason:
                scan.skipped[reason] += 1
                continue
            body = record.content_stream().read(max_body_bytes + 1)
            if len(body) > max_body_bytes:
                scan.skipped["too_large"] += 1
                continue
            yield _page(record, url, body)


def _skip_reason(record, url: str, wanted: WarcFilter) -> str | None:
    if not url.lower().startswith(("http://", "https://")):
        return "bad_url"
    if not wanted.wants_host(url):
        return "other_host"
    if not wanted.wants_date(_capture_date(record.rec_headers.get_header("WARC-Date"))):
        return "other_date"
    if record.http_headers is None:
        return "no_http_headers"
    status = record.http_headers.get_statuscode()
    if not (status or "").startswith("2"):
        return "http_error"
    content_type = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if content_type and not any(kind in content_type for kind in HTML_TYPES):
        return "not_html"
    return None


def _page(record, url: str, body: bytes) -> FetchResult:
    raw_type = record.http_headers.get_header("Content-Type") or ""
    declared = header_charset(raw_type)
    return FetchResult(
        url=url, outcome="fetched", final_url=url, http_status=int(record.http_headers.get_statuscode()),
        content_type=raw_type.split(";")[0].strip().lower() or None, body=body,
        content_hash=archive.body_hash(body), elapsed_ms=0.0, attempts=0,
        fetched_at=_capture_date(record.rec_headers.get_header("WARC-Date")),
        charset=detect_charset(body, declared), declared_charset=declared,
        etag=record.http_headers.get_header("ETag"), last_modified=record.http_headers.get_header("Last-Modified"),
    )


@task(name="read-warc", cache_policy=NO_CACHE)
def read_warc_pages(path: str, settings: Settings, hosts: list[str] | None = None,
                    since: datetime | None = None, until: datetime | None = None,
                    limit: int | None = None) -> tuple[list[FetchResult], dict[str, int]]:
    """Up to `limit` pages of one WARC file, each body stored in the raw archive; and the skip counts."""
    scan, pages = WarcScan(), []
    root = archive.archive_dir_of(settings)
    for page in iter_warc_pages(Path(path), make_filter(hosts, since, until), settings.max_body_bytes, scan):
        archive.store_body(root, page.body)
        pages.append(page)
        if limit is not None and len(pages) >= limit:
            break
    return pages, dict(scan.skipped)
