"""Parsing a batch on worker processes (tasks/parse_pool.py, tasks.parse.parse_batch): the same
pages as in the calling thread, in order, and a worker that dies costs only its own page."""
from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from tasks import archive, parse_pool
from tasks.parse import page_record, parse_batch

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = sorted((FIXTURES / "extract").glob("*.html")) + sorted((FIXTURES / "metadata").glob("*.html"))


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    """Real pages in a real raw archive, as the fetch step leaves them, at least MIN_PAGES of them."""
    root = tmp_path_factory.mktemp("archive")
    items = []
    for number, path in enumerate((PAGES * 2)[: max(parse_pool.MIN_PAGES, len(PAGES))]):
        digest = archive.store_body(root, path.read_bytes())
        items.append((digest, f"https://news.example.org/{number}/{path.stem}", None, None))
    return root, items


def test_processes_give_the_pages_the_thread_gives_in_the_same_order(archived):
    root, items = archived
    assert len(items) >= parse_pool.MIN_PAGES
    in_thread = parse_batch.fn(items, root, processes=0)
    on_pool = parse_batch.fn(items, root, processes=2)
    on_one_worker = parse_batch.fn(items, root, processes=1)
    assert [page_record(p) for p in on_pool.pages] == [page_record(p) for p in in_thread.pages]
    assert [page_record(p) for p in on_one_worker.pages] == [page_record(p) for p in in_thread.pages]
    assert [p.url for p in on_pool.pages] == [item[1] for item in items]
    assert sum(p.status == "ok" for p in on_pool.pages) >= len(items) // 2
    # Step times come back from the workers, one entry per step.
    assert set(on_pool.seconds) == {"decode", "metadata", "text", "quotes"}
    assert all(seconds > 0 for seconds in on_pool.seconds.values())


def test_a_page_missing_from_the_archive_is_its_own_failure(archived, tmp_path):
    root, items = archived
    missing = ("0" * 64, "https://news.example.org/gone", None, None)
    batch = parse_batch.fn(items[:5] + [missing] + items[5:], root, processes=2)
    statuses = {p.url: p.status for p in batch.pages}
    assert statuses["https://news.example.org/gone"] == "parse_failed"
    assert "raw archive" in batch.pages[5].error
    assert sum(status == "parse_failed" for status in statuses.values()) == 1


def die_on_poison(items: list[str]) -> list[str]:
    """Work for the pool: a worker handed the poison item exits at once, as a segfault would."""
    if "poison" in items:
        os._exit(3)
    return [item.upper() for item in items]


def crashed(item: str, error: BaseException) -> str:
    return f"crashed:{item}"


def test_a_worker_that_dies_costs_only_the_item_that_killed_it():
    items = [f"page{n}" for n in range(30)]
    items[17] = "poison"
    results = parse_pool.map_chunks(die_on_poison, items, 2, crashed)
    assert results[17] == "crashed:poison"
    assert results[:17] == [f"PAGE{n}" for n in range(17)]
    assert results[18:] == [f"PAGE{n}" for n in range(18, 30)]
    # The broken pool was replaced: the next batch runs normally.
    assert parse_pool.map_chunks(die_on_poison, ["a", "b"], 2, crashed) == ["A", "B"]


def test_small_batches_and_daemon_processes_parse_in_the_calling_thread():
    assert parse_pool.use_processes(4, parse_pool.MIN_PAGES - 1) == 0
    assert parse_pool.use_processes(0, 500) == 0
    assert parse_pool.use_processes(1, 500) == 1
    assert parse_pool.use_processes(4, 500) == 4
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:   # pool workers are daemon processes, as Dask's are
        assert pool.apply(parse_pool.use_processes, (4, 500)) == 0


@pytest.mark.parametrize("count,parts", [(0, 3), (1, 8), (7, 3), (200, 8), (9, 9), (10, 1)])
def test_chunks_cover_the_items_in_order_without_empty_ones(count, parts):
    items = list(range(count))
    chunks = parse_pool.split_even(items, parts)
    assert [item for chunk in chunks for item in chunk] == items
    assert all(chunks) or count == 0
    assert len(chunks) <= max(1, parts)
    sizes = [len(chunk) for chunk in chunks]
    assert max(sizes) - min(sizes) <= 1
