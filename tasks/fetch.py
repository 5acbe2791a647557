"""Fetching pages and feeds over HTTP. The only module that touches the network.

Failures are classed the way dlt and Media Cloud class them: transient ones (connection errors,
timeouts, 408/425/429/5xx) raise TransientFetchError so that the Prefect task retries them;
permanent ones (404, not HTML, too large) come back as a FetchResult with their outcome.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone

import requests
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import task_run

from tasks.settings import Settings

TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("xml", "rss", "atom", "text/plain")


class TransientFetchError(Exception):
    """A failure worth retrying; the message says what happened."""

    def __init__(self, message: str, http_status: int | None = None):
        super().__init__(message)
        self.http_status = http_status


@dataclass(frozen=True)
class FetchResult:
    url: str
    outcome: str  # fetched, http_error, network_error, not_html, too_large, bad_url
    final_url: str | None = None
    http_status: int | None = None
    content_type: str | None = None
    body: bytes = b""
    content_hash: str | None = None
    elapsed_ms: float | None = None
    error: str | None = None
    attempts: int = 1
    fetched_at: datetime | None = None


def fetch_url(url: str, settings: Settings, accept: tuple[str, ...] = HTML_TYPES) -> FetchResult:
    """GETs one URL; raises TransientFetchError for failures worth retrying."""
    if not url.lower().startswith(("http://", "https://")):
        return FetchResult(url, "bad_url", error="only http and https URLs are fetched")
    started = time.monotonic()
    try:
        response = requests.get(
            url,
            headers={"User-Agent": settings.user_agent},
            timeout=(settings.connect_timeout_s, settings.read_timeout_s),
            stream=True,
        )
    except (requests.ConnectionError, requests.Timeout) as error:
        raise TransientFetchError(f"{url}: {type(error).__name__}: {error}") from error
    except requests.RequestException as error:
        return FetchResult(url, "bad_url", error=f"{type(error).__name__}: {error}")
    with response:
        return _read_response(url, response, settings, accept, started)


def _read_response(url, response, settings: Settings, accept, started: float) -> FetchResult:
    status = response.status_code
    if status in TRANSIENT_STATUSES:
        raise TransientFetchError(f"{url}: HTTP {status}", http_status=status)
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    common = dict(final_url=response.url, http_status=status, content_type=content_type,
                  fetched_at=datetime.now(timezone.utc))
    if status >= 400:
        return FetchResult(url, "http_error", error=f"HTTP {status}", **common)
    if content_type and not any(kind in content_type for kind in accept):
        return FetchResult(url, "not_html", error=f"content type {content_type}", **common)
    try:
        body = _read_capped(response, settings.max_body_bytes)
    except (requests.ConnectionError, requests.Timeout) as error:
        raise TransientFetchError(f"{url}: body: {type(error).__name__}: {error}") from error
    except BodyTooLarge as error:
        return FetchResult(url, "too_large", error=str(error), **common)
    return FetchResult(
        url, "fetched", body=body, content_hash=hashlib.sha256(body).hexdigest(),
        elapsed_ms=(time.monotonic() - started) * 1000, **common,
    )


class BodyTooLarge(Exception):
    pass


def _read_capped(response: requests.Response, cap: int) -> bytes:
    """The decoded body; the cap counts decompressed bytes, so a gzip bomb stops early too."""
    chunks, size = [], 0
    for chunk in response.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > cap:
            raise BodyTooLarge(f"body over {cap} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def is_transient(task, task_run, state) -> bool:
    """Retry only what may succeed later; a bug or a permanent failure is not retried."""
    return isinstance(state.result(raise_on_failure=False), TransientFetchError)


@task(name="fetch", cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 4, 10],
      retry_jitter_factor=0.5, retry_condition_fn=is_transient)
def fetch_page(url: str, settings: Settings, accept: tuple[str, ...] = HTML_TYPES) -> FetchResult:
    result = fetch_url(url, settings, accept)
    return replace(result, attempts=task_run.run_count or 1)
