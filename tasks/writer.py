"""The warehouse-writer slot: a Prefect global concurrency limit of one slot, held by every task
that writes the DuckDB file, so that writes of concurrent flow runs (on any worker that talks to
the same Prefect server) queue for the file instead of contending for its lock.
warehouse.db.open_writer still waits for processes outside Prefect (an analyst's session).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from prefect import get_client, get_run_logger
from prefect.concurrency.sync import concurrency
# Raised by concurrency() but only defined in a private module of Prefect 3.9.
from prefect.concurrency._asyncio import ConcurrencySlotAcquisitionError
from prefect.settings import PREFECT_API_URL

from tasks.settings import Settings

WRITER_LIMIT = "newsdesk-warehouse-writer"


def uses_writer_limit(settings: Settings) -> bool:
    """Only with a Prefect server (PREFECT_API_URL). An ad hoc run's ephemeral server lives and
    dies with its one process, where the limit protects nothing; and it keeps slot leases in
    memory, so a run killed holding the slot would leave it taken in PREFECT_HOME's database for
    every later ad hoc run (tests/reliability/test_crash_writer_slot.py)."""
    return settings.writer_concurrency_limit and bool(PREFECT_API_URL.value())


def ensure_writer_limit(settings: Settings) -> None:
    """Creates the writer limit on the Prefect server the run talks to, if it is not there yet."""
    if uses_writer_limit(settings):
        with get_client(sync_client=True) as client:
            client.upsert_global_concurrency_limit_by_name(WRITER_LIMIT, 1)


@contextmanager
def writer_slot(settings: Settings) -> Iterator[None]:
    """Holds the writer limit's slot for the block. A slot not had in time is logged and the
    write goes on: warehouse.db.open_writer still keeps writers apart through the file's lock."""
    with ExitStack() as stack:
        if uses_writer_limit(settings):
            try:
                # A short lease: the slot of a run killed while holding it frees itself soon.
                stack.enter_context(concurrency(WRITER_LIMIT, occupy=1, timeout_seconds=settings.writer_slot_timeout_s,
                                                lease_duration=60))
            except (TimeoutError, ConcurrencySlotAcquisitionError) as error:
                get_run_logger().warning("writer slot not acquired (%s); relying on the file lock", error)
        yield
