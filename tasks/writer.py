"""The warehouse-writer slot: a Prefect global concurrency limit of one slot, held by every task
that writes the DuckDB file, so that writes of concurrent flow runs (on any worker that talks to
the same Prefect server) queue for the file instead of contending for its lock.
warehouse.db.open_writer still waits for processes outside Prefect (an analyst's session).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from prefect.logging import get_logger
from prefect.settings import PREFECT_API_URL

from tasks.leases import MIN_LEASE_S, LeasedSlot, PrefectLimit, SlotUnavailable, kept_alive
from tasks.settings import Settings

WRITER_LIMIT = "newsdesk-warehouse-writer"
logger = get_logger("newsdesk.writer")


def uses_writer_limit(settings: Settings) -> bool:
    """Only with a Prefect server (PREFECT_API_URL). An ad hoc run's ephemeral server lives and
    dies with its one process, where the limit protects nothing; and it keeps slot leases in
    memory, so a run killed holding the slot would leave it taken in PREFECT_HOME's database for
    every later ad hoc run (tests/reliability/test_crash_writer_slot.py)."""
    return settings.writer_concurrency_limit and bool(PREFECT_API_URL.value())


def writer_limit(settings: Settings) -> PrefectLimit:
    # The shortest lease, renewed while held (leases.kept_alive): the slot of a run killed while
    # holding it frees itself within a minute.
    return PrefectLimit(WRITER_LIMIT, 1, settings.writer_slot_timeout_s, MIN_LEASE_S)


def ensure_writer_limit(settings: Settings) -> None:
    """Creates the writer limit on the Prefect server the run talks to, if it is not there yet."""
    if uses_writer_limit(settings):
        writer_limit(settings).ensure()


def take_writer_slot(settings: Settings) -> LeasedSlot | None:
    """The writer slot, or None (logged) when it is not had in time: the write goes on, and
    warehouse.db.open_writer still keeps writers apart through the file's lock."""
    try:
        return writer_limit(settings).acquire()
    except SlotUnavailable as error:
        logger.warning("writer slot not acquired (%s); relying on the file lock", error)
        return None


@contextmanager
def writer_slot(settings: Settings) -> Iterator[None]:
    """Holds the writer limit's slot for the block, its lease renewed however long the block takes
    (a load can wait minutes for an analyst's hold on the file)."""
    slot = take_writer_slot(settings) if uses_writer_limit(settings) else None
    if slot is None:
        yield
        return
    try:
        with kept_alive(slot):
            yield
    finally:
        slot.release()
