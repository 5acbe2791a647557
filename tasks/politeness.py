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
concurrency limit per host) that all of them see, and hands such a slot on between its own
requests to the host for a short turn (`SlotSharing`). docs/FETCHING.md says what holds where.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from tasks.leases import SlotUnavailable


MAX_HOSTS = 20_000       # host states kept before idle ones are forgotten
IDLE_AFTER_S = 60.0


@dataclass(frozen=True)
class SlotSharing:
    """How a shared slot is handed on between this process's requests to one host.

    A slot is handed on for at most `turn_s` from when it was taken from the server; then it goes
    back, and this process asks for the host again only `gap_s` later, so that another run waiting
    for the host (it asks every leases.POLL_S) gets it: Prefect's limits have no queue. A slot set
    aside that no request of this process takes within `linger_s` goes back at the next request's
    end (or at the end of the fetch task, `release_spare_slots`). The turn bounds what another run
    waits for the host; the gap is what a run alone on the host pays for that, and it must be
    longer than leases.POLL_S for the waiting run to see the slot free."""
    turn_s: float = 5.0
    gap_s: float = 0.4
    linger_s: float = 0.5


@dataclass
class Spare:
    """A shared slot whose request and rest are over, set aside for the next request."""
    slot: "SharedSlot"
    taken_at: float      # from the server
    parked_at: float


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
    spares: list[Spare] = field(default_factory=list)   # shared slots set aside to hand on
    shared_open_at: float = 0.0       # a turn ended: the shared limit is not asked before this


class HostBusy(Exception):
    """The host's shared limit gave no slot in time, or could not be asked: the request is not made.
    `waited` says whether it was a wait that ran out (the host is busy elsewhere)."""

    def __init__(self, message: str, waited: bool = False):
        super().__init__(message)
        self.waited = waited


class SharedSlot(Protocol):
    def starting(self) -> None:
        """Called as the request starts: the slot must stay held from here to the end of its rest
        (a lease renewed if the waits before the start used much of it); raises SlotUnavailable
        when it is lost."""

    def release(self) -> None:
        """Gives the slot back to the server."""


class SharedLimit(Protocol):
    """A per-host limit that other processes see too (tasks/host_limits.py)."""

    def ensure(self) -> None:
        """Creates the limit if it is not there yet; raises SlotUnavailable when that cannot be done."""

    def acquire(self, wait: bool = True) -> SharedSlot:
        """One slot of the limit, held until released; raises SlotUnavailable when none comes in
        time (at once when not `wait`)."""

    @property
    def timeout_s(self) -> float:
        """How long `hold` waits."""


class HostRegistry:
    """Slots and timing per host, plus a global slot count."""

    def __init__(self, global_concurrency: int, per_host_concurrency: int, max_hosts: int = MAX_HOSTS,
                 sharing: SlotSharing = SlotSharing()):
        self._max_hosts = max_hosts
        self._sharing = sharing
        self._lock = threading.Lock()
        self._hosts: dict[str, HostState] = {}
        self._parked: dict[int, HostState] = {}   # hosts with spare shared slots, by id
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
        for key in [k for k, state in self._hosts.items()
                    if state.active == 0 and not state.spares and state.next_start < stale]:
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
        one slot per host, the default, starts are exactly a delay apart).

        Then the slot is set aside for the next request of this process to the host instead of
        going back to the server (two API calls saved per request; the server's count does not
        change, each slot serves one request at a time, its rest already held): see SlotSharing."""
        held, taken_at = self._take_spare(state)
        if held is None:
            held, taken_at = self._acquire_shared(state, shared)
        started: list[float] = []
        try:
            try:
                yield from self._hold(state, min_delay_s, started, held.starting)
            except SlotUnavailable as lost:   # the lease ran out before the start
                raise HostBusy(str(lost)) from lost
        finally:
            if started:
                spacing = max(min_delay_s, state.crawl_delay_s) * self._per_host
                time.sleep(max(0.0, started[0] + spacing - time.monotonic()))
            # A slot whose request never started may have lost its lease: never handed on.
            self._pass_on(state, held, taken_at, reusable=bool(started))

    def _take_spare(self, state: HostState) -> tuple[SharedSlot | None, float]:
        with self._lock:
            if not state.spares:
                return None, 0.0
            spare = state.spares.pop()
            if not state.spares:
                self._parked.pop(id(state), None)
            return spare.slot, spare.taken_at

    def _acquire_shared(self, state: HostState, shared: SharedLimit) -> tuple[SharedSlot, float]:
        pause = state.shared_open_at - time.monotonic()
        if pause > 0:   # the host is left to other runs for a moment (SlotSharing.gap_s)
            time.sleep(pause)
            held, taken_at = self._take_spare(state)   # another of our slots came free meanwhile
            if held is not None:
                return held, taken_at
        try:
            if not state.shared_ready:
                shared.ensure()
                state.shared_ready = True
            # After a wait that ran out, the host is held elsewhere: the threads queued behind
            # that one ask once and give up rather than wait the timeout each, one by one.
            held = shared.acquire(wait=time.monotonic() >= state.shared_busy_until)
            state.shared_busy_until = 0.0
        except SlotUnavailable as busy:
            if busy.waited:
                state.shared_busy_until = time.monotonic() + shared.timeout_s
            else:   # asked again next time: the server may have restarted, the limit gone
                state.shared_ready = False
            raise HostBusy(str(busy), waited=busy.waited) from busy
        return held, time.monotonic()

    def _pass_on(self, state: HostState, held: SharedSlot, taken_at: float, reusable: bool) -> None:
        """Sets the slot aside for the next request to the host within its turn, or gives it back;
        gives back the spares of any host that nobody took within linger_s too."""
        now = time.monotonic()
        with self._lock:
            keep = reusable and now - taken_at < self._sharing.turn_s
            if keep:
                state.spares.append(Spare(held, taken_at, now))
                self._parked[id(state)] = state
            elif reusable:   # a turn's end: the next request here, of any thread, waits the gap
                state.shared_open_at = now + self._sharing.gap_s
            to_release = ([] if keep else [held]) + self._take_spares_locked(now - self._sharing.linger_s)
        for slot in to_release:
            slot.release()

    def _take_spares_locked(self, parked_before: float, idle_hosts_only: bool = False) -> list[SharedSlot]:
        taken: list[SharedSlot] = []
        for key, state in list(self._parked.items()):
            if idle_hosts_only and state.active:
                continue
            taken += [spare.slot for spare in state.spares if spare.parked_at < parked_before]
            state.spares = [spare for spare in state.spares if spare.parked_at >= parked_before]
            if not state.spares:
                del self._parked[key]
        return taken

    def release_spares(self) -> None:
        """Gives back the shared slots set aside for hosts that no thread of this process is
        fetching or waiting for (at the end of a fetch task: a run never keeps a host it is not
        fetching; a batch fetched alongside keeps the slots of the hosts it is still fetching)."""
        with self._lock:
            taken = self._take_spares_locked(float("inf"), idle_hosts_only=True)
        for slot in taken:
            slot.release()

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


def release_spare_slots() -> None:
    """Gives back the shared slots that every registry of the process has set aside."""
    with _REGISTRIES_LOCK:
        registries = list(_REGISTRIES.values())
    for registry in registries:
        registry.release_spares()
