"""The load step: staged batch files -> the DuckDB file, one transaction per batch.

`load_batch` stages the parsed batch on disk (tasks/stage.py) and then loads that file; the file
is removed only after the commit, so a load that cannot get the warehouse (an analyst holds it
for longer than the writer waits) or a crash loses nothing: `load_staged_batches`, called at the
start of the next run, loads what was left. The DuckDB file is opened only for the write; while
another process holds it, warehouse.db.open_writer waits with backoff.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from tasks.parse import ParsedPage
from tasks.settings import Settings, lock_policy
from tasks.writer import writer_slot
from tasks.stage import article_row, list_staged_batches, stage_dir_of, stage_pages
from warehouse.db import LockPolicy, open_writer
from warehouse.fetch_state import ValidatorRow
from warehouse.loader import LoadCounts, StagedFileError, load_staged_file, record_fetches, record_run, record_run_end
from warehouse.rows import FetchRow, RunRow

__all__ = ["StagedLoad", "article_row", "load_batch", "load_staged", "load_staged_batches",
           "load_waiting_batches", "record_run_outcomes"]

NOTHING = LoadCounts(0, 0, 0, 0)


@dataclass(frozen=True)
class StagedLoad:
    """What loading the waiting batches did: files loaded, their rows, and files set aside."""

    files: int = 0
    counts: LoadCounts = NOTHING
    rejected: tuple[str, ...] = field(default_factory=tuple)


def load_staged(path: Path, settings: Settings, policy: LockPolicy = LockPolicy()) -> LoadCounts:
    """Loads one staged file in one transaction, then removes it.

    A file that is gone was loaded and removed by another run (removal follows the commit).
    """
    if not path.is_file():
        return NOTHING
    with open_writer(settings.db_path, policy) as con:
        try:
            counts = load_staged_file(con, path)
        except FileNotFoundError:
            return NOTHING   # removed by another run while this one waited for the file
    path.unlink(missing_ok=True)
    return counts


def load_waiting_batches(settings: Settings, policy: LockPolicy = LockPolicy()) -> StagedLoad:
    """Loads every staged batch left waiting, oldest first, one transaction per file, under one
    open of the warehouse; each file is removed after its commit. Unreadable files go to rejected/."""
    stage_dir = stage_dir_of(settings)
    waiting = list_staged_batches(stage_dir)
    if not waiting:
        return StagedLoad()
    files, total, rejected = 0, NOTHING, []
    with open_writer(settings.db_path, policy) as con:
        for path in waiting:
            try:
                counts = load_staged_file(con, path)
            except FileNotFoundError:
                continue   # loaded and removed by another run meanwhile
            except StagedFileError:
                rejected.append(str(_set_aside(path, stage_dir)))
                continue
            total = total + counts
            path.unlink(missing_ok=True)
            files += 1
    return StagedLoad(files, total, tuple(rejected))


def _set_aside(path: Path, stage_dir: Path) -> Path:
    # Kept for a person to look at, out of the way of the next run.
    target = stage_dir / "rejected" / path.name
    target.parent.mkdir(exist_ok=True)
    path.replace(target)
    return target


# No Prefect retries on the writing tasks: waiting for the file's lock, with backoff, is their
# retry; any other failure is not transient, and the staged batch waits for the next run.
@task(name="load", cache_policy=NO_CACHE)
def load_batch(pages: list[ParsedPage], fetched_urls: list[str], run_id: str, settings: Settings) -> LoadCounts:
    """Stages the batch (every page, whatever its status), then loads the staged file."""
    # Staged inside the slot: a concurrent run's start, which loads what earlier runs left staged
    # (holding the slot), must not take this batch for a leftover while this run loads it.
    with writer_slot(settings):
        return load_staged(stage_pages(pages, fetched_urls, run_id, settings), settings, lock_policy(settings))


@task(name="load-staged", cache_policy=NO_CACHE)
def load_staged_batches(settings: Settings) -> StagedLoad:
    """Call first in a run: loads the batches an earlier run staged but did not load (a crash,
    or a warehouse held for longer than the writer waited)."""
    with writer_slot(settings):
        result = load_waiting_batches(settings, lock_policy(settings))
    if result.files or result.rejected:
        get_run_logger().info("loaded %d waiting batch(es) (%d articles); set aside: %s",
                              result.files, result.counts.articles, list(result.rejected))
    return result


@task(name="record-run", cache_policy=NO_CACHE)
def record_run_outcomes(fetches: list[FetchRow], run: RunRow, settings: Settings,
                        validators: Sequence[ValidatorRow] = ()) -> None:
    """The run's fetches rows, its runs row and the validators for the next run's conditional
    GETs, in one transaction under one open of the file."""
    with writer_slot(settings), open_writer(settings.db_path, lock_policy(settings)) as con:
        record_run_end(con, fetches, run, validators)
