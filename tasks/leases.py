"""Slots of Prefect global concurrency limits, taken and given back with direct lease calls.

Both limits newsdesk shares across runs use this: one per host (tasks/host_limits.py) and the
warehouse writer's (tasks/writer.py). Why not Prefect's `concurrency()` context manager: it makes
the same two calls (increment and decrement with a lease) but also starts a lease-renewal thread
with its own client per acquisition, emits events, and keeps an acquisition service per limit
name for the life of the process; measured, 79 ms per host request against 13 ms for these calls
(docs/FETCHING.md), and 1.3-1.7 s per writer acquisition in the pipeline benchmark
(docs/BENCHMARKS.md).

A slot is held under a lease: the slot of a run killed while holding it comes free when its lease
runs out. Holders renew it themselves when they know a hold may outlast it (`LeasedSlot.starting`
before a request; `kept_alive` around a write that may wait for the file's lock).
"""
from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from uuid import UUID

import certifi
import httpx
from prefect import get_client
from prefect.client.orchestration import SyncPrefectClient
from prefect.exceptions import ObjectAlreadyExists
from prefect.logging import get_logger
from prefect.settings import (PREFECT_API_ENABLE_HTTP2, PREFECT_API_SSL_CERT_FILE, PREFECT_API_TLS_INSECURE_SKIP_VERIFY,
                              PREFECT_API_URL)

MIN_LEASE_S = 60.0          # the shortest lease the Prefect server grants
LEASE_MARGIN_S = 10.0
# A run waiting for a slot asks at least this often, not only after the server's Retry-After (its
# estimate from how long slots are held, which grows when a run hands its host slots on between
# its threads; tasks/politeness.py): a slot given back for a turn is then seen within this time.
POLL_S = 0.25
logger = get_logger("newsdesk.leases")


class SlotUnavailable(Exception):
    """No slot within the timeout, or the limit API could not be asked. `waited` says whether it
    was a wait that ran out (the slots are busy elsewhere) rather than an error."""

    def __init__(self, message: str, waited: bool = False):
        super().__init__(message)
        self.waited = waited


@dataclass(frozen=True)
class PrefectLimit:
    """One global concurrency limit on the Prefect server the run talks to."""
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
            raise SlotUnavailable(f"limit {self.name} could not be created: {error}") from error

    def acquire(self, wait: bool = True) -> "LeasedSlot":
        """One slot, held until its `release()` or until its lease runs out."""
        return LeasedSlot(self, self._acquire(self.timeout_s if wait else 0.0), time.monotonic())

    @contextmanager
    def hold(self, wait: bool = True) -> Iterator["LeasedSlot"]:
        slot = self.acquire(wait)
        try:
            yield slot
        finally:
            slot.release()

    def _acquire(self, timeout_s: float) -> UUID:
        """A 423 (all taken) is asked again after the server's Retry-After or POLL_S, whichever
        comes first, until the timeout."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with _client() as client:
                    response = client.increment_concurrency_slots_with_lease(
                        names=[self.name], slots=1, mode="concurrency", lease_duration=self.lease_s)
            except httpx.HTTPStatusError as error:
                if error.response.status_code != 423:
                    raise SlotUnavailable(f"limit {self.name}: HTTP {error.response.status_code}") from error
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise SlotUnavailable(self._busy_message(timeout_s), waited=True) from error
                time.sleep(min(_retry_after(error.response), POLL_S, remaining))
                continue
            except httpx.HTTPError as error:
                raise SlotUnavailable(f"limit {self.name}: {type(error).__name__}: {error}") from error
            granted = response.json()
            if not granted.get("limits"):
                # Deleted behind our back: not a hold without any limit (the caller has it
                # created again next time).
                raise SlotUnavailable(f"limit {self.name} does not exist")
            return UUID(granted["lease_id"])

    def _busy_message(self, timeout_s: float) -> str:
        if timeout_s > 0:
            return f"no slot of the limit {self.name} within {timeout_s:g} s"
        return (f"limit {self.name} full, and a wait for it ran out less than "
                f"{self.timeout_s:g} s ago: not waited for again")


@dataclass
class LeasedSlot:
    """A held slot: its lease and when it was last renewed."""
    limit: PrefectLimit
    lease_id: UUID
    leased_at: float

    def starting(self) -> None:
        """Before a piece of work that the lease must cover from its start (a request and its
        rest): renewed when the lease was set going more than the margin ago."""
        if time.monotonic() - self.leased_at > LEASE_MARGIN_S:
            self.renew()

    def renew(self) -> None:
        try:
            with _client() as client:
                client.renew_concurrency_lease(self.lease_id, self.limit.lease_s)
        except httpx.HTTPError as error:   # expired (410) or no answer: another run may hold it
            raise SlotUnavailable(f"lease on the limit {self.limit.name} lost: {error}") from error
        self.leased_at = time.monotonic()

    def release(self) -> None:
        if PREFECT_API_URL.value() not in _CLIENTS:
            # The API it was taken on is no longer configured (a test server stopped): no client
            # is made for that (without a URL it would start an ephemeral server).
            logger.warning("slot of %s not released (API gone); it frees itself within %g s",
                           self.limit.name, self.limit.lease_s)
            return
        try:
            with _client() as client:
                client.release_concurrency_slots_with_lease(self.lease_id)
        except httpx.HTTPError as error:
            # Not fatal: the slot comes free when its lease runs out.
            logger.warning("slot of %s not released (%s); it frees itself within %g s",
                           self.limit.name, error, self.limit.lease_s)


@contextmanager
def kept_alive(slot: LeasedSlot, every_s: float | None = None) -> Iterator[None]:
    """Renews the slot's lease every `every_s` (a third of the lease) while the block runs, on one
    thread: for holds of unknown length (a write waiting for the file's lock). A renewal that
    fails is logged; the block goes on (the file's lock still guards the data)."""
    done = threading.Event()
    every_s = every_s or slot.limit.lease_s / 3

    def renew_until_done() -> None:
        while not done.wait(every_s):
            try:
                slot.renew()
            except SlotUnavailable as lost:
                logger.warning("%s", lost)
                return

    renewer = threading.Thread(target=renew_until_done, name=f"renew {slot.limit.name}", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        done.set()
        renewer.join()


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(0.01, float(response.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


QUICK_RETRIES_S = (0.02, 0.05, 0.1, 0.2, 0.4)


class QuickRetryTransport(httpx.BaseTransport):
    """Asks again soon after a 503. A Prefect server on SQLite (the default, and the test harness)
    answers 503 "database is locked" when our write meets one of its own (a task run's state,
    events), and Prefect's client then waits 2 s (then 4, 8) before it asks again: 1.8-2.4 s per
    writer-slot acquisition in a flow run (measured with a probe around the client, each one a
    503 and a retry). Asked again after QUICK_RETRIES_S, the call goes through within tens of
    milliseconds; after those, the 503 goes on to Prefect's client and its own retries."""

    def __init__(self, inner: httpx.BaseTransport):
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for pause in QUICK_RETRIES_S:
            response = self.inner.handle_request(request)
            if response.status_code != 503:
                return response
            response.close()
            time.sleep(pause)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()



def _transport() -> QuickRetryTransport:
    """The connection settings Prefect's client gives its own transport (TLS verification as
    configured, its pool limits, HTTP/2 when enabled), under the quick retries."""
    if PREFECT_API_TLS_INSECURE_SKIP_VERIFY.value():
        verify: ssl.SSLContext | bool = False
    else:
        verify = ssl.create_default_context(cafile=PREFECT_API_SSL_CERT_FILE.value() or certifi.where())
    limits = httpx.Limits(max_connections=16, max_keepalive_connections=8, keepalive_expiry=25)
    return QuickRetryTransport(httpx.HTTPTransport(verify=verify, limits=limits,
                                                   http2=bool(PREFECT_API_ENABLE_HTTP2.value())))


# One Prefect client per process, and one limit call at a time: a client per request would cost a
# connection each time, and calls at once from the fetch threads make a Prefect server on SQLite
# (the default, and the test harness) answer most of them 503 "database is locked", which its
# client retries after 2, 4, 8 s (bench/hostlimits.py; docs/FETCHING.md has the figures).
_API_LOCK = threading.Lock()
_CLIENTS: dict[str, SyncPrefectClient] = {}
_CALLS = [0]


def api_calls() -> int:
    """How many limit API calls (create, acquire, renew, release) this process has made."""
    with _API_LOCK:
        return _CALLS[0]


@contextmanager
def _client() -> Iterator[SyncPrefectClient]:
    api_url = PREFECT_API_URL.value()
    with _API_LOCK:
        if api_url not in _CLIENTS:
            client = get_client(sync_client=True, httpx_settings={"transport": _transport()})
            client.__enter__()   # kept open for the process's life, like an HTTP session
            _CLIENTS[api_url] = client
        _CALLS[0] += 1
        yield _CLIENTS[api_url]
