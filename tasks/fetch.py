"""Fetching pages, feeds, sitemaps and robots.txt over HTTP. The only module that touches the network.

One call of `fetch_url` is one URL's whole story: the SSRF guard (tasks/netguard.py), robots.txt
(tasks/robots.py), the per-host and global limits (tasks/politeness.py), redirects followed here
one hop at a time (each hop guarded and recorded), conditional GET, a body cap counted after
decompression, charset detection, and retries.

Retries live here, not in Prefect's task retries: a 429 or 503 says how long to wait
(Retry-After), Prefect's retry delays are fixed when the task is defined, and the wait must also
hold back the other threads fetching the same host. Transient failures (connection errors,
timeouts, 408/425/429/5xx) are retried with exponential backoff and jitter, at least the
Retry-After, never past `max_retry_wait_s`; permanent ones come back at once as a FetchResult
with their outcome. fetch_url never raises for a network condition.
"""
from __future__ import annotations

import email.utils
import random
import re
import socket
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from urllib.parse import urlsplit

import requests
import urllib3
from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks import archive, host_limits, netguard, robots
from tasks.charset import detect_charset, header_charset
from tasks.politeness import HostBusy, HostRegistry, registry_for, release_spare_slots
from tasks.settings import Settings
from tasks.urls import join_url

TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("xml", "rss", "atom", "text/plain")
SITEMAP_TYPES = ("xml", "text/plain", "gzip", "octet-stream")
ROBOTS_TYPES = ("text/plain", "text/html", "octet-stream")
# Every name a FetchResult.outcome can take; docs/FETCHING.md says what each means.
OUTCOMES = ("fetched", "not_modified", "robots_disallowed", "http_error", "network_error",
            "too_large", "not_html", "bad_url", "blocked", "redirect_error", "host_busy")
_CHUNK = 65536
ADDRESS_CHECK_TTL_S = 60.0
_USERINFO = re.compile(r"//[^/@\s]*@")
_NO_SUCH_NAME = frozenset({socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)})


class TransientFetchError(Exception):
    """A failure worth retrying; `retry_after` is the server's own hint in seconds."""

    def __init__(self, message: str, http_status: int | None = None, retry_after: float | None = None,
                 url: str | None = None):
        super().__init__(message)
        self.http_status = http_status
        self.retry_after = retry_after
        self.url = url   # the hop that failed (a redirect target may be another host)


class _Permanent(Exception):
    """A failure that ends the URL: outcome and reason."""

    def __init__(self, outcome: str, message: str, http_status: int | None = None):
        super().__init__(message)
        self.outcome, self.http_status = outcome, http_status
        self.redirects: tuple[str, ...] = ()   # the hops before the one that failed
        self.final_url: str | None = None


@dataclass(frozen=True)
class Validators:
    """What a previous fetch of the URL said, for a conditional GET."""
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    url: str
    outcome: str  # one of OUTCOMES
    final_url: str | None = None
    http_status: int | None = None
    content_type: str | None = None
    body: bytes = b""
    content_hash: str | None = None
    elapsed_ms: float | None = None
    error: str | None = None
    attempts: int = 1
    fetched_at: datetime | None = None
    redirects: tuple[str, ...] = ()       # every URL answered with a redirect, in order
    charset: str | None = None            # what the body decodes with (detected)
    declared_charset: str | None = None   # what the Content-Type header said
    etag: str | None = None
    last_modified: str | None = None
    retried: tuple[str, ...] = ()         # each failed attempt before the last: what, and the wait after it
    size: int | None = None               # body bytes, kept when the body itself is left in the archive

    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)

    def without_body(self) -> "FetchResult":
        """The result with its body left in the raw archive (content_hash names it)."""
        return replace(self, body=b"", size=len(self.body) if self.body else self.size)


# ---------------------------------------------------------------- one URL, with retries

def fetch_url(url: str, settings: Settings, accept: tuple[str, ...] = HTML_TYPES,
              validators: Validators | None = None) -> FetchResult:
    """GETs one URL politely and safely; every ending is a FetchResult with its outcome."""
    started, attempt, waited, retried = time.monotonic(), 0, 0.0, []
    registry = registry_for(settings.fetch_workers, settings.per_host_concurrency)
    while True:
        attempt += 1
        try:
            result = _fetch_chain(url, settings, accept, validators, registry)
            break
        except _Permanent as stop:
            result = FetchResult(url, stop.outcome, http_status=stop.http_status, error=str(stop),
                                 final_url=stop.final_url, redirects=stop.redirects)
            break
        except TransientFetchError as error:
            delay = backoff_delay(attempt, error.retry_after, settings.retry_delays_s)
            if attempt > settings.fetch_retries or waited + delay > settings.max_retry_wait_s:
                outcome = "http_error" if error.http_status else "network_error"
                result = FetchResult(url, outcome, http_status=error.http_status,
                                     error=f"{error} (gave up after {attempt} attempts)")
                break
            if error.retry_after:
                registry.defer(_host_key(error.url or url), error.retry_after)
            retried.append(f"{error}; waited {delay:.2f} s")
            time.sleep(delay)
            waited += delay
    return replace(result, attempts=attempt, elapsed_ms=(time.monotonic() - started) * 1000,
                   fetched_at=result.fetched_at or datetime.now(timezone.utc),
                   retried=tuple(redact_credentials(line) for line in retried),
                   error=redact_credentials(result.error) if result.error else None,
                   redirects=tuple(redact_credentials(hop) for hop in result.redirects),
                   final_url=redact_credentials(result.final_url) if result.final_url else None)


def redact_credentials(text: str) -> str:
    """Error texts and redirect chains name URLs; a user:password@ in one must not reach the
    fetches table or a log."""
    return _USERINFO.sub("//", text)


def backoff_delay(attempt: int, retry_after: float | None, delays: tuple[float, ...],
                  rng: random.Random | None = None) -> float:
    """Exponential backoff with "equal jitter" (between half and all of the step, so that failing
    clients spread out but never retry at once), and never less than the Retry-After."""
    if not delays:
        base = 0.0
    else:
        base = delays[min(attempt - 1, len(delays) - 1)]
    jittered = base * (0.5 + 0.5 * (rng or random).random())
    return max(jittered, retry_after or 0.0)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


# ---------------------------------------------------------------- redirects, guard, robots

def _fetch_chain(url, settings: Settings, accept, validators, registry: HostRegistry) -> FetchResult:
    """Follows redirects one hop at a time; each hop is checked like the first URL."""
    chain: list[str] = []
    current = url
    try:
        while True:
            _check_allowed(current, settings, registry)
            # Validators go with every hop: they describe the resource the chain ends at.
            outcome = _request_once(current, settings, accept, validators, registry)
            if isinstance(outcome, FetchResult):
                return replace(outcome, url=url, redirects=tuple(chain))
            chain.append(current)
            target = join_url(current, outcome)
            if target is None:
                raise _Permanent("bad_url", f"redirect to a URL that cannot be parsed: {outcome[:200]!r}")
            if target in chain:
                raise _Permanent("redirect_error", f"redirect loop: {' -> '.join(chain + [target])}")
            if len(chain) > settings.max_redirects:
                raise _Permanent("redirect_error", f"more than {settings.max_redirects} redirects")
            current = target
    except _Permanent as stop:
        stop.redirects, stop.final_url = tuple(chain), current
        raise


def _check_allowed(url: str, settings: Settings, registry: HostRegistry) -> None:
    try:
        _check_address(url, settings, registry)
    except netguard.BadUrl as error:
        raise _Permanent("bad_url", f"{url}: {error}") from error
    except netguard.BlockedAddress as error:
        raise _Permanent("blocked", str(error)) from error
    if settings.obey_robots:
        rules = robots_rules(url, settings, registry)
        if not rules.allows(url, robots.agent_token(user_agent_of(settings))):
            raise _Permanent("robots_disallowed", rules.error or f"disallowed by {rules.source}")


def _check_address(url: str, settings: Settings, registry: HostRegistry) -> None:
    """The DNS check, at most once a minute per host: it is there for a clear early refusal; the
    check of the connected peer (GuardedAdapter) runs on every connection regardless."""
    netguard.split_host(url)
    if settings.allow_private_hosts:
        return
    state = registry.host(_host_key(url))
    if time.monotonic() < state.address_checked_until:
        return
    netguard.check_url(url, False, _allowed(settings))
    state.address_checked_until = time.monotonic() + ADDRESS_CHECK_TTL_S


def robots_rules(url: str, settings: Settings, registry: HostRegistry | None = None) -> robots.RobotsRules:
    """The host's robots.txt rules, fetched once per `robots_ttl_s` and shared by all threads."""
    registry = registry or registry_for(settings.fetch_workers, settings.per_host_concurrency)
    state = registry.host(_host_key(url))
    with state.robots_lock:   # one thread fetches; the others wait for its answer
        if state.robots is None or time.monotonic() >= state.robots_expires:
            rules = _fetch_robots(robots.robots_url(url), settings, registry)
            agent = robots.agent_token(user_agent_of(settings))
            registry.set_crawl_delay(_host_key(url), min(rules.crawl_delay(agent), settings.max_crawl_delay_s))
            # An unreachable site is asked again sooner: its robots.txt may be back in minutes.
            ttl = settings.robots_ttl_s if rules.status != "unreachable" else min(settings.robots_ttl_s, 300.0)
            state.robots, state.robots_expires = rules, time.monotonic() + ttl
        return state.robots


def listed_sitemaps(url: str, settings: Settings) -> tuple[str, ...]:
    """The Sitemap: lines of the robots.txt of url's host; none when it lists none, or when the
    host cannot be asked (no such host name, no slot): fetching its sitemaps records that."""
    try:
        return robots_rules(url, settings).sitemaps()
    except _Permanent:
        return ()


def _fetch_robots(source: str, settings: Settings, registry: HostRegistry) -> robots.RobotsRules:
    """robots.txt with the same retries as a page; still failing, the site counts as unreachable."""
    attempt = 0
    while True:
        attempt += 1
        try:
            return _fetch_robots_once(source, settings, registry)
        except TransientFetchError as error:
            delay = backoff_delay(attempt, error.retry_after, settings.retry_delays_s)
            if attempt > settings.fetch_retries or delay > settings.max_retry_wait_s:
                return robots.unreachable(source, str(error))
            time.sleep(delay)


def _fetch_robots_once(source: str, settings: Settings, registry: HostRegistry) -> robots.RobotsRules:
    # No per-host delay after robots.txt: a small static file, fetched once an hour per host,
    # would otherwise make every run's first page of a host wait the delay (1 s of a one-URL
    # run, docs/BENCHMARKS.md "Start-up"). A robots.txt Crawl-delay still applies to the pages.
    capped = replace(settings, max_body_bytes=robots.MAX_ROBOTS_BYTES, per_host_delay_s=0.0)
    current = source
    try:
        for _ in range(6):   # RFC 9309: follow at least five redirects
            netguard.check_url(current, settings.allow_private_hosts, _allowed(settings))
            got = _request_once(current, capped, ROBOTS_TYPES, None, registry, any_type=True)
            if isinstance(got, FetchResult):
                break
            current = join_url(current, got)
            if current is None:   # handled like a redirect to another scheme
                raise netguard.BadUrl(f"redirect to a URL that cannot be parsed: {got[:200]!r}")
        else:
            return robots.unreachable(source, "too many redirects")
    except _Permanent as error:
        if error.outcome in ("network_error", "host_busy"):
            raise   # no such host name, or no slot: the page's own outcome, not a robots matter
        return robots.unreachable(source, str(error))
    except (netguard.BadUrl, netguard.BlockedAddress) as error:
        return robots.unreachable(source, str(error))
    if got.outcome in ("fetched", "too_large"):   # too large: the first 512 KiB are read
        return robots.parse_robots(got.body, source)
    return robots.rules_for_status(got.http_status or 0, source)


# ---------------------------------------------------------------- one request

def _request_once(url, settings: Settings, accept, validators, registry: HostRegistry,
                  any_type: bool = False) -> FetchResult | str:
    """One GET inside the host's slot: a FetchResult, or the Location of a redirect."""
    headers = {"User-Agent": user_agent_of(settings), "Accept-Encoding": "gzip, deflate",
               "Accept": _accept_header(accept)}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    with _host_slot(url, settings, registry):
        deadline = time.monotonic() + settings.total_timeout_s   # waiting for the slot is not counted
        try:
            response = _session(settings).get(
                url, headers=headers, stream=True, allow_redirects=False,
                timeout=(settings.connect_timeout_s, settings.read_timeout_s))
        except netguard.BlockedAddress as error:
            raise _Permanent("blocked", str(error)) from error
        except (requests.ConnectionError, requests.Timeout) as error:
            if _is_unknown_host(error):
                raise _Permanent("network_error", f"{url}: host name does not resolve") from error
            raise TransientFetchError(f"{url}: {type(error).__name__}: {_short(error)}") from error
        except requests.RequestException as error:
            raise _Permanent("bad_url", f"{url}: {type(error).__name__}: {_short(error)}") from error
        except ValueError as error:
            # requests parses a redirect's Location even with allow_redirects=False, and urllib
            # raises on some (tasks/urls.py): the redirect goes nowhere we could fetch.
            raise _Permanent("bad_url", f"{url}: redirect to a URL that cannot be parsed: {_short(error)}") from error
        with response:
            return _read_response(url, response, settings, accept, deadline, any_type)


@contextmanager
def _host_slot(url: str, settings: Settings, registry: HostRegistry):
    """The host's slot in this process and, with a Prefect server, across runs (tasks/host_limits.py)."""
    with ExitStack() as stack:
        try:
            stack.enter_context(registry.slot(_host_key(url), settings.per_host_delay_s,
                                              host_limits.shared_limit_for(url, settings)))
        except HostBusy as busy:
            raise _Permanent("host_busy", str(busy)) from busy
        yield


def _read_response(url, response: requests.Response, settings: Settings, accept, deadline: float,
                   any_type: bool) -> FetchResult | str:
    status = response.status_code
    if status in REDIRECT_STATUSES and response.headers.get("Location"):
        return response.headers["Location"]
    if status in TRANSIENT_STATUSES:
        raise TransientFetchError(f"{url}: HTTP {status}", http_status=status, url=url,
                                  retry_after=parse_retry_after(response.headers.get("Retry-After")))
    common = _response_fields(url, response)
    refused = _refuse_unread(url, response, common, settings, accept, any_type)
    if refused is not None:
        return refused
    try:
        body = read_capped(response, settings.max_body_bytes, deadline)
    except BodyTooLarge as error:
        return FetchResult(url, "too_large", error=str(error), body=error.head if any_type else b"", **common)
    if not any_type and not common["content_type"] and accept == HTML_TYPES and not looks_like_html(body):
        return FetchResult(url, "not_html", error="no content type and the body is not HTML", **common)
    return FetchResult(url, "fetched", body=body, content_hash=archive.body_hash(body),
                       charset=detect_charset(body, common["declared_charset"]), **common)


def _is_unknown_host(error: requests.RequestException) -> bool:
    """A name that does not exist (NXDOMAIN) will not exist in ten seconds either; a resolver
    that did not answer (EAI_AGAIN) is transient like any network error."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    if not isinstance(reason, urllib3.exceptions.NameResolutionError):
        return False
    cause = reason.__cause__
    return isinstance(cause, socket.gaierror) and cause.errno in _NO_SUCH_NAME


def _response_fields(url: str, response: requests.Response) -> dict:
    raw_type = response.headers.get("Content-Type", "")
    return dict(final_url=url, http_status=response.status_code,
                content_type=raw_type.split(";")[0].strip().lower() or None,
                etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"),
                declared_charset=header_charset(raw_type), fetched_at=datetime.now(timezone.utc))


def _refuse_unread(url, response, common: dict, settings: Settings, accept, any_type: bool) -> FetchResult | None:
    """The endings decided by the status line and headers alone, before a byte of body is read."""
    status, content_type = response.status_code, common["content_type"]
    if status == 304:
        return FetchResult(url, "not_modified", **common)
    if status >= 300 or status < 200:   # a 3xx here has no Location to follow
        return FetchResult(url, "http_error", error=f"HTTP {status}", **common)
    if any_type:
        return None
    if content_type and not any(kind in content_type for kind in accept):
        return FetchResult(url, "not_html", error=f"content type {content_type}", **common)
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > settings.max_body_bytes:
        # Said up front, so not read at all; a compressed length under the cap is read, and
        # capped after decompression.
        return FetchResult(url, "too_large", error=f"Content-Length {length} over {settings.max_body_bytes} bytes", **common)
    return None


def looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--", b"<meta", b"<title"))


# ---------------------------------------------------------------- the body, capped after decompression

class BodyTooLarge(Exception):
    def __init__(self, message: str, head: bytes = b""):
        super().__init__(message)
        self.head = head


def read_capped(response: requests.Response, cap: int, deadline: float) -> bytes:
    """The decoded body. Decompression is done here with a bounded output per step, so the cap
    counts decompressed bytes and a gzip bomb is stopped after `cap` bytes, not after it has
    filled the memory; `deadline` stops a server that drips bytes just inside the read timeout."""
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    decoder = _Decoder(encoding)
    chunks, size = [], 0
    try:
        while True:
            if time.monotonic() > deadline:
                raise TransientFetchError(f"{response.url}: total timeout while reading the body")
            raw = response.raw.read1(_CHUNK, decode_content=False)
            if not raw:
                break
            for piece in decoder.feed(raw, cap - size + 1):
                size += len(piece)
                chunks.append(piece)
                if size > cap:
                    raise BodyTooLarge(f"body over {cap} bytes (decompressed)", b"".join(chunks)[:cap])
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise TransientFetchError(f"{response.url}: body: {type(error).__name__}: {_short(error)}") from error
    except zlib.error as error:
        raise _Permanent("network_error", f"{response.url}: corrupt {encoding} body: {error}") from error
    return b"".join(chunks)


class _Decoder:
    """gzip/deflate decompression that never produces more than asked for in one step."""

    def __init__(self, encoding: str):
        if encoding in ("", "identity"):
            self._zlib = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            self._zlib = zlib.decompressobj(47)   # 32 + 15: a gzip or zlib header, detected
        else:
            raise _Permanent("http_error", f"unsupported Content-Encoding {encoding} (not asked for)")
        self._raw_deflate = encoding == "deflate"

    def feed(self, data: bytes, room: int):
        if self._zlib is None:
            yield data
            return
        while data:
            try:
                out = self._zlib.decompress(data, max(room, 1))
            except zlib.error:
                if not self._raw_deflate:
                    raise
                # Some servers send raw deflate without the zlib header.
                self._zlib, self._raw_deflate = zlib.decompressobj(-15), False
                continue
            self._raw_deflate = False
            data = self._zlib.unconsumed_tail
            if out:
                yield out
            if self._zlib.eof:
                return


# ---------------------------------------------------------------- plumbing

_local = threading.local()


def _session(settings: Settings) -> requests.Session:
    """One session per thread (requests sessions are not thread-safe), keeping connections alive."""
    sessions = _local.__dict__.setdefault("sessions", {})
    key = (settings.allow_private_hosts, settings.allowed_private_networks)
    if key not in sessions:
        session = requests.Session()
        session.trust_env = False   # no proxy from the environment: the guard must see the real peer
        if not settings.allow_private_hosts:
            adapter = netguard.GuardedAdapter(_allowed(settings))
            session.mount("http://", adapter)
            session.mount("https://", adapter)
        sessions[key] = session
    return sessions[key]


def _allowed(settings: Settings) -> netguard.Networks:
    return netguard.parse_networks(settings.allowed_private_networks)


def user_agent_of(settings: Settings) -> str:
    """The honest user agent: product/version and a URL that says who runs it and how to reach them."""
    if settings.contact_url:
        return f"{settings.user_agent.split(' ', 1)[0]} (+{settings.contact_url})"
    return settings.user_agent


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _accept_header(accept: tuple[str, ...]) -> str:
    if accept == HTML_TYPES:
        return "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
    if accept == ROBOTS_TYPES:
        return "text/plain,*/*;q=0.1"
    return "application/rss+xml,application/atom+xml,application/xml,text/xml;q=0.9,*/*;q=0.1"


def _short(error: Exception) -> str:
    return str(error)[:300]


def fetch_and_archive(url: str, settings: Settings, accept: tuple[str, ...] = HTML_TYPES,
                      validators: Validators | None = None) -> FetchResult:
    """fetch_url, and the body stored once in the raw archive (tasks/archive.py)."""
    result = fetch_url(url, settings, accept, validators)
    if result.outcome == "fetched":
        archive.store_body(archive.archive_dir_of(settings), result.body)
    return result


# fetch_url retries by itself (it honours Retry-After), so neither task has Prefect retries.
@task(name="fetch", cache_policy=NO_CACHE)
def fetch_page(url: str, settings: Settings, accept: tuple[str, ...] = HTML_TYPES,
               validators: Validators | None = None) -> FetchResult:
    try:
        return fetch_and_archive(url, settings, accept, validators)
    finally:
        release_spare_slots()   # no shared host slot stays taken while the run does other work


@task(name="fetch-batch", cache_policy=NO_CACHE)
def fetch_batch(urls: list[str], settings: Settings,
                validators: list[Validators | None] | None = None) -> list[FetchResult]:
    """A batch of pages on the task's own threads, in input order, bodies left in the archive.

    One Prefect task per batch rather than per URL: a task run costs the flow about 9 ms and
    sends events to the API server, which at thousands of URLs slowed every other call of the
    run (docs/BENCHMARKS.md). The politeness limits are per process, so they hold across these
    threads and across batches fetched at the same time.
    """
    validators = validators or [None] * len(urls)
    workers = max(1, min(len(urls), settings.fetch_workers * 4))
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = pool.map(lambda url, v: fetch_and_archive(url, settings, HTML_TYPES, v), urls, validators)
            # Bodies stay in the archive: Prefect keeps every task's result until the flow run
            # ends, so returning them would hold every page of the run in memory.
            return [result.without_body() for result in results]
    finally:
        release_spare_slots()   # no shared host slot stays taken while the run does other work
