"""Raw page bytes -> ParsedPage: decode, metadata, text, quotes; what the parse workers run.

One code path serves `newsdesk parse` (tasks.parse.parse_html) and the flows (tasks.parse.parse_batch,
one Prefect task per batch, on worker processes): both run the same steps in the same order. Steps
are pure and deterministic: the same bytes and extractor version always give the same page.

No Prefect here: the parse workers' fork server preloads this module (tasks/parse_pool.py), and
Prefect's import would cost each of them about 50 MB for nothing (docs/BENCHMARKS.md, "Peak memory").
"""
from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree
from trafilatura.utils import decode_file

from tasks import archive
from tasks.extract import EXTRACTOR_VERSION, extract_text
from tasks.metadata import Metadata, extract_metadata
from tasks.quotes import Quote, extract_quotes

# Errors a malformed page can raise inside lxml, trafilatura or our parsers. A page that raises
# one gets status parse_failed; anything else is a bug and is allowed to surface.
PAGE_ERRORS = (ValueError, TypeError, LookupError, AttributeError, RecursionError, etree.LxmlError)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedPage:
    url: str | None
    status: str  # parsing, ok, no_text, binary, parse_failed
    content_hash: str
    extractor_version: str = EXTRACTOR_VERSION
    hints: Mapping[str, str] | None = None
    html: str = ""  # dropped once the text is extracted, to keep batches small
    metadata: Metadata | None = None
    text: str = ""
    quotes: tuple[Quote, ...] = ()
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.status not in ("parsing", "ok")


def decode_page(body: bytes, url: str | None, hints: Mapping[str, str] | None = None,
                charset: str | None = None) -> ParsedPage:
    """Bytes -> text: the charset the fetch step detected, else UTF-8, the page's declared
    charset, then detection."""
    digest = hashlib.sha256(body).hexdigest()
    if b"\x00" in body[:2048]:
        return ParsedPage(url, "binary", digest, hints=hints, error="body is binary, not HTML")
    return ParsedPage(url, "parsing", digest, hints=hints, html=decode_body(body, charset))


def decode_body(body: bytes, charset: str | None = None) -> str:
    """Page bytes as text: the given charset, else UTF-8, the page's declared charset, then detection."""
    for encoding in (charset, "utf-8"):
        if encoding:
            try:
                return body.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                pass
    declared = _META_CHARSET.search(body[:4096])
    if declared:
        try:
            return body.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_file(body)


def add_metadata(page: ParsedPage) -> ParsedPage:
    return replace(page, metadata=extract_metadata(page.html, page.url, page.hints))


def add_text(page: ParsedPage) -> ParsedPage:
    meta = page.metadata
    extracted = extract_text(page.html, page.url, title=meta.title if meta else None,
                             description=meta.description if meta else None)
    status = "parsing" if extracted.text.strip() else "no_text"
    error = None if extracted.text.strip() else "no main text found"
    return replace(page, html="", text=extracted.text, status=status, error=error)


def add_quotes(page: ParsedPage) -> ParsedPage:
    return replace(page, quotes=extract_quotes(page.text), status="ok")


def apply_step(step: Callable[[ParsedPage], ParsedPage], page: ParsedPage) -> ParsedPage:
    """Runs one step unless an earlier one failed; a page that breaks a parser is recorded."""
    if page.failed:
        return page
    try:
        return step(page)
    except PAGE_ERRORS as error:
        return replace(page, html="", status="parse_failed", error=f"{step.__name__}: {type(error).__name__}: {error}")


PARSE_STEPS = {"metadata": add_metadata, "text": add_text, "quotes": add_quotes}


def parse_html(body: bytes, url: str | None = None, hints: Mapping[str, str] | None = None) -> ParsedPage:
    return run_steps(decode_page(body, url, hints), {})


def run_steps(page: ParsedPage, seconds: dict[str, float]) -> ParsedPage:
    """The parse steps in order, each one's time added to seconds under its name."""
    for name, step in PARSE_STEPS.items():
        started = time.perf_counter()
        page = apply_step(step, page)
        seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started
    return page


@dataclass(frozen=True)
class ParsedBatch:
    pages: list[ParsedPage]
    seconds: dict[str, float]   # per step, summed over the batch's pages in whichever process parsed them


# (sha256 of the body, URL, feed hints, charset detected when fetching): a page to parse, its
# body in the raw archive. Bodies are read where they are parsed, so no page crosses processes.
ArchivedPage = tuple[str, str, Mapping[str, str] | None, str | None]


def parse_archived(archive_dir: Path, items: list[ArchivedPage]) -> list[tuple[ParsedPage, dict[str, float]]]:
    """Reads, decodes and parses each page; plain, picklable, so it runs in worker processes."""
    parsed = []
    for item in items:
        seconds: dict[str, float] = {}
        started = time.perf_counter()
        page = decode_archived(archive_dir, *item)
        seconds["decode"] = time.perf_counter() - started
        parsed.append((run_steps(page, seconds), seconds))
    return parsed


def decode_archived(archive_dir: Path, digest: str, url: str, hints: Mapping[str, str] | None,
                    charset: str | None) -> ParsedPage:
    try:
        body = archive.read_body(archive_dir, digest)
    except (FileNotFoundError, archive.ArchiveCorrupt) as error:
        return ParsedPage(url, "parse_failed", digest, hints=hints, error=f"raw archive: {type(error).__name__}: {error}")
    return decode_page(body, url, hints, charset)


def worker_died(item: ArchivedPage, error: BaseException) -> tuple[ParsedPage, dict[str, float]]:
    digest, url, hints, _ = item
    return ParsedPage(url, "parse_failed", digest, hints=hints, error=f"parse worker died: {error}"), {}
