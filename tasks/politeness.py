"""Per-host and global limits on requests, shared by every thread of the process.

The flow fetches on a thread pool, one Prefect task per URL; the limits must hold across all of
those threads, so they live in one registry per process (the only module state of the fetch side,
and the reason it exists). Per host (scheme + host + port):

- at most `per_host_concurrency` requests in flight;
- request starts at least `per_host_delay_s` apart, or the robots.txt crawl-delay when larger
  (capped at `max_crawl_delay_s`);
- a Retry-After from the host pushes its next start back for every thread, not only the one that
  got the 429/503.

Globally at most `fetch_workers` requests are in flight. Two processes (two `newsdesk ingest` at
once, or Prefect workers on several machines) do not see each other's registry; when a Prefect
server is configured, `slot` also holds a `SharedLimit` (tasks/host_limits.py: a Prefect global
concurrency limit per host) that all of them see. docs/FETCHING.md says what holds where.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Protocol


MAX_HOSTS = 20_000       # host states kept before idle ones are forgotten
IDLE_AFTER_S = 60.0


@dataclass
class HostState:
    slots: threading.BoundedSemaphore
    next_start: float = 0.0           # monotonic time before which no request may start
    last_start: float = 0.0
    crawl_delay_s: float = 0.0        # from robots.txt
    robots: object | None = None      # tasks.robots.RobotsRules, cached with its expiry
    robots_expires: float = 0.0
    robots_lock: threading.Lock = field(default_factory=threading.Lock)
    address_checked_until: float = 0.0   # the SSRF guard's DNS check, cached briefly
    active: int = 0                   # threads inside slot() for this host (never evicted then)
    shared_ready: bool = False        # the host's shared limit is known to exist on the server
    shared_busy_until: float = 0.0    # a wait for the shared limit timed out: later ones do not wait


class HostBusy(Exception):
    """The host's shared limit gave no slot in time, or could not be asked: the request is not made.
    `waited` says whether it was a wait that ran out (the host is busy elsewhere)."""

    def __init__(self, message: str, waited: bool = False):
        super().__init__(message)
        self.waited = waited


class SharedSlot(Protocol):
    def starting(self) -> None:
        """Called as the request starts: the slot must stay held from here to the end of its rest
        (a lease renewed if the waits before the start used much of it)."""


class SharedLimit(Protocol):
    """A per-host limit that other processes see too (tasks/host_limits.py)."""

    def ensure(self) -> None:
        """Creates the limit if it is not there yet; raises HostBusy when that cannot be done."""

    def hold(self, wait: bool = True) -> AbstractContextManager[SharedSlot]:
        """Holds one slot of the limit for the block; raises HostBusy when none comes in time (at
        once when not `wait`)."""

    @property
    def timeout_s(self) -> float:
        """How long `hold` waits."""


class HostRegistry:
    """Slots and timing per host, plus a global slot count."""

    def __init__(self, global_concurrency: int, per_host_concurrency: int, max_hosts: int = MAX_HOSTS):
        self._max_hosts = max_hosts
        self._lock = threading.Lock()
        self._hosts: dict[str, HostState] = {}
        self._global = threading.BoundedSemaphore(max(1, global_concurrency))
        self._per_host = max(1, per_host_concurrency)

    def host(self, key: str) -> HostState:
        with self._lock:
            return self._hosts.get(key) or self._new_host_locked(key)

    def _new_host_locked(self, key: str) -> HostState:
        if len(self._hosts) >= self._max_hosts:
            self._evict_idle()
        state = self._hosts[key] = HostState(threading.BoundedSemaphore(self._per_host))
        return state

    def _evict_idle(self) -> None:
        """A long-lived worker meets hosts without end: forget those nobody is fetching and whose
        last request is older than a minute (their delay has run out; robots.txt is asked again)."""
        stale = time.monotonic() - IDLE_AFTER_S
        for key in [k for k, state in self._hosts.items() if state.active == 0 and state.next_start < stale]:
            del self._hosts[key]

    def hosts_known(self) -> int:
        with self._lock:
            return len(self._hosts)

    @contextmanager
    def slot(self, key: str, min_delay_s: float, shared: SharedLimit | None = None) -> Iterator[None]:
        """Holds a host slot and a global slot for one request, started no earlier than allowed.

        The host slot is taken first and the host's turn waited for before the global slot, so
        that a thread waiting for a busy or resting host does not keep a global slot from a
        thread that could fetch another host meanwhile. The turn is claimed only once the global
        slot is held, at the actual start, so that a wait for the global slot cannot bring two
        starts at one host closer than the delay.

        With `shared`, a slot of the host's shared limit is taken too, after the host slot and
        before the global one (a wait for another process must not hold a global slot either).
        """
        with self._lock:
            state = self._hosts.get(key) or self._new_host_locked(key)
            state.active += 1
        try:
            with state.slots:
                if shared is None:
                    yield from self._hold(state, min_delay_s, [])
                else:
                    yield from self._hold_shared(state, min_delay_s, shared)
        finally:
            with self._lock:
                state.active -= 1

    def _hold_shared(self, state: HostState, min_delay_s: float, shared: SharedLimit) -> Iterator[None]:
        """The shared slot is kept until `spacing x per-host slots` after the request started, not
        only until it ended: other processes know nothing of this host's delay, and a slot that
        rests that long lets at most `per_host_concurrency` requests start per that many delays,
        so the host sees no more than one start per delay on average from all runs together (with
        one slot per host, the default, starts are exactly a delay apart)."""
        with ExitStack() as stack:
            try:
                if not state.shared_ready:
                    shared.ensure()
                    state.shared_ready = True
                # After a wait that ran out, the host is held elsewhere: the threads queued behind
                # that one ask once and give up rather than wait the timeout each, one by one.
                held = stack.enter_context(shared.hold(wait=time.monotonic() >= state.shared_busy_until))
                state.shared_busy_until = 0.0
            except HostBusy as busy:
                if busy.waited:
                    state.shared_busy_until = time.monotonic() + shared.timeout_s
                else:   # asked again next time: the server may have restarted, the limit gone
                    state.shared_ready = False
                raise
            started: list[float] = []
            try:
                yield from self._hold(state, min_delay_s, started, held.starting)
            finally:
                if started:
                    spacing = max(min_delay_s, state.crawl_delay_s) * self._per_host
                    time.sleep(max(0.0, started[0] + spacing - time.monotonic()))

    def _hold(self, state: HostState, min_delay_s: float, started: list[float],
              starting: Callable[[], None] | None = None) -> Iterator[None]:
        while True:
            pause = state.next_start - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            with self._global:
                start = self._claim_turn(state, min_delay_s)
                if start is not None:
                    if starting:
                        starting()   # before the start is counted: a lost slot means no request, no rest
                    started.append(start)
                    yield
                    return
            # Another thread of this host (per-host concurrency > 1) started first: wait again.

    def _claim_turn(self, state: HostState, min_delay_s: float) -> float | None:
        """The start time, or None when another thread of this host has the turn."""
        with self._lock:
            now = time.monotonic()
            if now < state.next_start:
                return None
            state.next_start = now + max(min_delay_s, state.crawl_delay_s)
            state.last_start = now
            return now

    def defer(self, key: str, seconds: float) -> None:
        """Retry-After: nobody starts a request to this host for `seconds`."""
        state = self.host(key)
        with self._lock:
            state.next_start = max(state.next_start, time.monotonic() + seconds)

    def set_crawl_delay(self, key: str, seconds: float) -> None:
        """Applies from the request that fetched robots.txt on, so the first page waits too."""
        state = self.host(key)
        with self._lock:
            state.crawl_delay_s = seconds
            state.next_start = max(state.next_start, state.last_start + seconds)


_REGISTRIES: dict[tuple[int, int], HostRegistry] = {}
_REGISTRIES_LOCK = threading.Lock()


def registry_for(global_concurrency: int, per_host_concurrency: int) -> HostRegistry:
    """The process's registry for these limits (one per pair, so tests with other limits are apart)."""
    key = (global_concurrency, per_host_concurrency)
    with _REGISTRIES_LOCK:
        if key not in _REGISTRIES:
            _REGISTRIES[key] = HostRegistry(global_concurrency, per_host_concurrency)
        return _REGISTRIES[key]
