"""The warehouse-writer slot (tasks/writer.py) on the session's Prefect test server: writers of
any run take turns, a slot not had in time lets the write go on (the file's lock still guards
it), and a long hold keeps its lease."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from prefect import get_client

from tasks.leases import PrefectLimit, kept_alive
from tasks.settings import Settings
from tasks.writer import WRITER_LIMIT, ensure_writer_limit, uses_writer_limit, writer_limit, writer_slot


def active_slots() -> int:
    with get_client(sync_client=True) as client:
        return client.read_global_concurrency_limit_by_name(WRITER_LIMIT).active_slots


def test_writers_take_turns_and_give_the_slot_back(prefect_harness):
    settings = Settings()
    assert uses_writer_limit(settings)
    ensure_writer_limit(settings)
    lock, inside, peak = threading.Lock(), [0], [0]

    def write(_: int) -> None:
        with writer_slot(settings):
            with lock:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
            time.sleep(0.05)
            with lock:
                inside[0] -= 1

    with ThreadPoolExecutor(3) as pool:
        list(pool.map(write, range(6)))
    assert peak[0] == 1 and active_slots() == 0


def test_a_slot_not_had_in_time_lets_the_write_go_on(prefect_harness):
    settings = Settings(writer_slot_timeout_s=0.5)
    ensure_writer_limit(settings)
    with writer_limit(settings).hold():          # another run is writing
        began = time.monotonic()
        with writer_slot(settings):
            waited = time.monotonic() - began
    assert 0.4 <= waited < 5 and active_slots() == 0


def test_a_long_hold_keeps_its_lease(prefect_harness):
    limit = PrefectLimit("newsdesk-test-kept-alive", 1, 5.0)
    limit.ensure()
    with limit.hold() as slot:
        taken = slot.leased_at
        with kept_alive(slot, every_s=0.1):
            time.sleep(0.45)
        assert slot.leased_at > taken + 0.2      # renewed on the server while the block ran
        slot.renew()                             # and still alive after it


def test_a_503_is_asked_again_within_milliseconds_not_prefects_seconds():
    """A Prefect server on SQLite answers 503 "database is locked" when two writes meet; the limit
    calls ask again after 20 and 50 ms (tasks/leases.py) where Prefect's client waits 2 s."""
    import httpx

    from tasks.leases import QUICK_RETRIES_S, QuickRetryTransport
    from tests.local_server import fail_then, html, local_server

    with local_server({"/locked-twice": fail_then(2, 503, html(b"ok")),
                       "/down": fail_then(100, 503, html(b"ok"))}) as server:
        with httpx.Client(transport=QuickRetryTransport(httpx.HTTPTransport())) as client:
            began = time.monotonic()
            answer = client.get(server.base_url + "/locked-twice")
            took = time.monotonic() - began
            down = client.get(server.base_url + "/down")
        hits = dict(server.hits)
    assert answer.status_code == 200 and hits["/locked-twice"] == 3 and took < 1.0
    # Still down after the quick retries: the 503 goes on (to Prefect's own retries).
    assert down.status_code == 503 and hits["/down"] == len(QUICK_RETRIES_S) + 1
