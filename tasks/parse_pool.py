"""Parsing on every core of the machine: one pool of worker processes per process, started on
first use and kept for the life of the process (a Prefect worker's flow runs, a test session).

Why processes: parsing is pure Python and lxml under the GIL, so threads would share one core
with the fetch threads; DESIGN.md: "thread pool for fetch, processes for parsing". Why a pool
kept alive: starting a worker costs about 2 s here (imports, and htmldate's dateparser tables on
its first call), which a batch of 200 pages pays back but a one-URL run does not; hence also
MIN_PAGES. Workers are started by the forkserver (spawn where there is none), never forked from
the flow process, whose threads (Prefect's event loops, the fetch pool) a fork would copy
mid-operation.

A worker that dies (a segfault in a C parser, the OOM killer) breaks the pool: the chunks it
took are parsed again one page per call in a new pool, so one bad page costs its own record
(`parse_failed`, "parse worker died") and nothing else.
"""
from __future__ import annotations

import gc
import multiprocessing
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many pages a batch is parsed in the calling thread: it would not pay for the pool.
MIN_PAGES = 16
# Chunks per worker process: enough for the workers to even out slow pages, few enough that
# sending a chunk costs little against parsing it.
CHUNKS_PER_PROCESS = 4

_pools: dict[int, ProcessPoolExecutor] = {}
_lock = threading.Lock()


def use_processes(requested: int, pages: int) -> int:
    """How many worker processes a batch is parsed on; 0: in the calling thread, for small
    batches and inside a daemon process (a Dask worker), which may not start children."""
    if requested <= 0 or pages < MIN_PAGES or multiprocessing.current_process().daemon:
        return 0
    return requested


def split_even(items: Sequence[T], parts: int) -> list[list[T]]:
    """Consecutive chunks of nearly equal size, in order, none empty."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    chunks, start = [], 0
    for number in range(parts):
        end = start + size + (number < extra)
        chunks.append(list(items[start:end]))
        start = end
    return chunks


def map_chunks(work: Callable[[list[T]], list[R]], items: Sequence[T], processes: int,
               on_crash: Callable[[T, BaseException], R]) -> list[R]:
    """work(chunk) on the pool for chunks of items; the results of all chunks, in item order.
    work must be picklable (a module-level function or a functools.partial of one)."""
    chunks = split_even(items, processes * CHUNKS_PER_PROCESS)
    futures = [pool_of(processes).submit(work, chunk) for chunk in chunks]
    results: list[R] = []
    for chunk, future in zip(chunks, futures):
        results += _chunk_result(future, chunk, work, processes, on_crash)
    return results


def _chunk_result(future: Future, chunk: list[T], work: Callable[[list[T]], list[R]], processes: int,
                  on_crash: Callable[[T, BaseException], R]) -> list[R]:
    try:
        return future.result()
    except BrokenProcessPool:
        _drop_broken(processes)
        return [_one_item(work, item, processes, on_crash) for item in chunk]


def _one_item(work: Callable[[list[T]], list[R]], item: T, processes: int,
              on_crash: Callable[[T, BaseException], R]) -> R:
    """A page alone in a fresh pool: if the pool breaks again, this page broke it."""
    try:
        return pool_of(processes).submit(work, [item]).result()[0]
    except BrokenProcessPool as error:
        _drop_broken(processes)
        return on_crash(item, error)


def pool_of(processes: int) -> ProcessPoolExecutor:
    with _lock:
        pool = _pools.get(processes)
        if pool is None:
            pool = _pools[processes] = ProcessPoolExecutor(processes, mp_context=_start_context(),
                                                           initializer=start_worker)
        return pool


def start_worker() -> None:
    """First thing in a new worker: what it inherited from the fork server (the modules, the parsers'
    tables) goes to the collector's permanent generation. A full collection writes to the header of
    every object it walks, which copies each inherited page into the worker, so the pages the fork
    server shared with its workers became private to each, one by one, as the run went on (about
    60 MB more for the fork server and two workers after 3000 pages: docs/BENCHMARKS.md, "Peak
    memory"). Frozen objects are never collected; these live as long as the worker anyway."""
    gc.freeze()


def _drop_broken(processes: int) -> None:
    with _lock:
        pool = _pools.pop(processes, None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def _start_context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # Imported once in the fork server, so every worker starts with the parsers and the
        # language detector loaded (tasks/parse_server.py).
        context.set_forkserver_preload(["tasks.parse_server"])
        return context
    return multiprocessing.get_context("spawn")
