"""Per-host fetch limits that hold across flow runs: one Prefect global concurrency limit per host.

tasks/politeness.py keeps the limits of one process. Two runs at once (two `newsdesk ingest`,
or deployment runs on Prefect workers on several machines) each have their own, so a host could
see N times its limit. When a Prefect server is configured, every request therefore also holds
a slot of the limit `newsdesk-host:<host>[:<port>]` on that server, created on demand with
`per_host_concurrency` slots; all runs that talk to the server share it. The registry keeps
the slot until the host's delay (or robots.txt crawl-delay) has passed since the request started
(tasks/politeness.py `_hold_shared`), which carries the delay across processes too, with no
second limit and no second API call.

Only with a Prefect server (PREFECT_API_URL), for the reason tasks/writer.py gives for the writer
limit: an ad hoc run's ephemeral server lives and dies with its one process, where the
in-process registry already holds every limit; and it keeps slot leases in memory, so a run
killed while holding a slot would leave it taken for every later ad hoc run.

A slot is taken per request (not held over a retry's backoff) with two API calls, increment and
decrement with a lease, on the Prefect client of the fetch thread. Its lease covers one request
and its rest from the start (`lease_for`: about two minutes by default, renewed only when the
waits before the start used much of it), so the slot of a run killed while holding it comes free
when the lease runs out, with no renewal thread per slot. A slot that does not come within
`host_limit_timeout_s` (another run holds the host that long, or the API does not answer) raises
`HostBusy`; tasks/fetch.py records the URL as `host_busy` and moves on. Why not Prefect's own
`concurrency()` context manager: see docs/FETCHING.md (it costs ~80 ms per request here, and a
thread per host name).
"""
from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit
from uuid import UUID

import httpx
from prefect import get_client
from prefect.client.orchestration import SyncPrefectClient
from prefect.exceptions import ObjectAlreadyExists
from prefect.logging import get_logger
from prefect.settings import PREFECT_API_URL

from tasks.politeness import HostBusy
from tasks.settings import Settings

LIMIT_PREFIX = "newsdesk-host:"
# Prefect names may hold anything but / % & > <; we keep to what a host name is made of, so a
# name reads the same in the UI, the CLI and a URL. The bound keeps the names of long hosts short.
MAX_NAME_CHARS = 100
MIN_LEASE_S = 60.0          # the shortest lease the Prefect server grants
LEASE_MARGIN_S = 10.0
_UNSAFE = re.compile(r"[^a-z0-9.:_-]")
_DEFAULT_PORTS = {"http": 80, "https": 443}
logger = get_logger("newsdesk.host_limits")


def uses_host_limits(settings: Settings) -> bool:
    """Only with a Prefect server; see the module's docstring for why not on an ephemeral one."""
    return settings.host_concurrency_limits and bool(PREFECT_API_URL.value())


def limit_name(url: str) -> str:
    """The host's limit name: host and port (no scheme: http and https of a host are one server;
    no credentials: the name shows in the UI), sanitised and bounded. A name changed by either
    ends in a digest of the host, so two hosts never share one limit by accident."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:   # a port out of range: the request will fail as bad_url anyway
        port = None
    label = host if port in (None, _DEFAULT_PORTS.get(parts.scheme.lower())) else f"{host}:{port}"
    clean = _UNSAFE.sub("_", label)
    name = LIMIT_PREFIX + clean
    if clean != label or not clean or len(name) > MAX_NAME_CHARS:
        digest = hashlib.sha256(label.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        name = name[:MAX_NAME_CHARS - len(digest) - 1] + "~" + digest
    return name


@dataclass(frozen=True)
class PrefectHostLimit:
    """One host's limit on the Prefect server (a politeness.SharedLimit)."""
    name: str
    slots: int
    timeout_s: float
    lease_s: float = MIN_LEASE_S

    def ensure(self) -> None:
        """Creates the limit, or sets its slots when another run made it with other ones."""
        try:
            with _client() as client:
                client.upsert_global_concurrency_limit_by_name(self.name, self.slots)
        except ObjectAlreadyExists:
            pass   # another run created it between our read and our create: it is there
        except httpx.HTTPError as error:
            raise HostBusy(f"shared host limit {self.name} could not be created: {error}") from error

    @contextmanager
    def hold(self, wait: bool = True) -> Iterator["LeasedSlot"]:
        slot = LeasedSlot(self, self._acquire(self.timeout_s if wait else 0.0), time.monotonic())
        try:
            yield slot
        finally:
            slot.release()

    def _acquire(self, timeout_s: float) -> UUID:
        """One slot under a lease; a 423 (all taken) is asked again after the server's
        Retry-After (its estimate from how long slots are held), until the timeout."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with _client() as client:
                    response = client.increment_concurrency_slots_with_lease(
                        names=[self.name], slots=1, mode="concurrency", lease_duration=self.lease_s)
            except httpx.HTTPStatusError as error:
                if error.response.status_code != 423:
                    raise HostBusy(f"shared host limit {self.name}: HTTP {error.response.status_code}") from error
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise HostBusy(self._busy_message(timeout_s), waited=True) from error
                time.sleep(min(_retry_after(error.response), remaining))
                continue
            except httpx.HTTPError as error:
                raise HostBusy(f"shared host limit {self.name}: {type(error).__name__}: {error}") from error
            granted = response.json()
            if not granted.get("limits"):
                # Deleted behind our back: not a request without any limit (the registry has it
                # created again next time).
                raise HostBusy(f"shared host limit {self.name} does not exist")
            return UUID(granted["lease_id"])

    def _busy_message(self, timeout_s: float) -> str:
        if timeout_s > 0:
            return f"no slot of the shared host limit {self.name} within {timeout_s:g} s"
        return (f"shared host limit {self.name} full, and a wait for it ran out less than "
                f"{self.timeout_s:g} s ago: not waited for again")


@dataclass
class LeasedSlot:
    """A held slot: its lease and when it was last set going."""
    limit: PrefectHostLimit
    lease_id: UUID
    leased_at: float

    def starting(self) -> None:
        """The lease covers one request and its rest from the start; waits before the start (the
        host's turn, a global slot, a Retry-After) that used more than the margin renew it."""
        if time.monotonic() - self.leased_at <= LEASE_MARGIN_S:
            return
        try:
            with _client() as client:
                client.renew_concurrency_lease(self.lease_id, self.limit.lease_s)
        except httpx.HTTPError as error:   # expired (410) or no answer: another run may hold it
            raise HostBusy(f"lease on the shared host limit {self.limit.name} lost: {error}") from error
        self.leased_at = time.monotonic()

    def release(self) -> None:
        try:
            with _client() as client:
                client.release_concurrency_slots_with_lease(self.lease_id)
        except httpx.HTTPError as error:
            # Not fatal: the slot comes free when its lease runs out.
            logger.warning("slot of %s not released (%s); it frees itself within %g s",
                           self.limit.name, error, self.limit.lease_s)


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(0.01, float(response.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


# One Prefect client per process, and one limit call at a time: a client per request would cost a
# connection each time, and calls at once from the fetch threads make a Prefect server on SQLite
# (the default, and the test harness) answer most of them 503 "database is locked", which its
# client retries after 2, 4, 8 s (bench/hostlimits.py; docs/FETCHING.md has the figures).
_API_LOCK = threading.Lock()
_CLIENTS: dict[str, SyncPrefectClient] = {}


@contextmanager
def _client() -> Iterator[SyncPrefectClient]:
    api_url = PREFECT_API_URL.value()
    with _API_LOCK:
        if api_url not in _CLIENTS:
            client = get_client(sync_client=True)
            client.__enter__()   # kept open for the process's life, like an HTTP session
            _CLIENTS[api_url] = client
        yield _CLIENTS[api_url]


def lease_for(settings: Settings) -> float:
    """How long one request and its rest can hold a slot, from its start: connect, a last read
    started just before the total deadline, the longest rest (politeness._hold_shared), and a
    margin. Prefect grants a minute at least."""
    request = settings.connect_timeout_s + settings.read_timeout_s + settings.total_timeout_s
    rest = max(settings.per_host_delay_s, settings.max_crawl_delay_s) * max(1, settings.per_host_concurrency)
    return max(MIN_LEASE_S, request + rest + LEASE_MARGIN_S)


def shared_limit_for(url: str, settings: Settings) -> PrefectHostLimit | None:
    """The host's shared limit, or None when the run has no Prefect server to share it on."""
    if not uses_host_limits(settings):
        return None
    return PrefectHostLimit(limit_name(url), max(1, settings.per_host_concurrency), settings.host_limit_timeout_s,
                            lease_for(settings))
