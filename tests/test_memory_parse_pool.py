"""The parse workers keep what they inherit from the fork server shared (tasks/parse_pool.py):
their first act is gc.freeze(), so the collector never writes to the inherited objects."""
from __future__ import annotations

import gc

from tasks import parse_pool


def frozen_counts(items: list[int]) -> list[int]:
    """Work for the pool: how many objects the worker's collector leaves alone."""
    return [gc.get_freeze_count() for _ in items]


def test_every_worker_starts_with_its_inherited_objects_frozen():
    counts = parse_pool.map_chunks(frozen_counts, list(range(8)), 2, on_crash=lambda item, error: -1)
    assert len(counts) == 8
    # The modules the worker inherited (the parsers, the standard library) are thousands of objects.
    assert min(counts) > 10_000


def test_start_worker_freezes_what_exists(tmp_path):
    before = gc.get_freeze_count()
    try:
        parse_pool.start_worker()
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()   # the test process keeps collecting as usual


def detector_imported(items: list[int]) -> list[bool]:
    """Work for the pool, before the worker has parsed anything: does it hold the language detector?"""
    import sys

    return ["pycld2" in sys.modules for _ in items]


def test_new_workers_inherit_the_language_detector_from_the_fork_server():
    # Three processes: a pool of its own, whose workers have parsed no page yet (the pools of the
    # other tests have one or two), so the detector can only come from the fork server.
    loaded = parse_pool.map_chunks(detector_imported, list(range(6)), 3, on_crash=lambda item, error: None)
    assert loaded == [True] * 6
