"""Contention: an analyst's process holds the DuckDB file while a run wants to write it.

The run must wait (warehouse.db.open_writer backs off), finish after the analyst lets go, and
lose nothing: every article of the run is in the file afterwards, next to the earlier ones.
"""
from __future__ import annotations

import time
from dataclasses import replace

import pytest

from flows.ingest import ingest
from tasks.settings import Settings
from tests.reliability.analyst import Analyst
from tests.reliability.checks import integrity_problems, rows
from tests.reliability.faultsite import serve_fault_site
from tests.reliability.newsroom import site_pages

QUICK = Settings(retry_delays_s=(0.05, 0.05, 0.05), per_host_delay_s=0.0, per_host_concurrency=4,
                 allow_private_hosts=True)


def test_run_waits_for_an_analyst_and_loses_nothing(prefect_harness, tmp_path):
    db = tmp_path / "contended.duckdb"
    settings = replace(QUICK, db_path=db)
    articles = site_pages(11, 12)
    with serve_fault_site(articles) as server:
        first, second = [[server.url(a.path) for a in articles[i::2]] for i in (0, 1)]
        assert ingest(urls=first, db_path=str(db), settings=settings).counts() == {"loaded": 6}
        analyst = Analyst(db, seconds=5)
        started = time.time()
        summary = ingest(urls=second, db_path=str(db), settings=settings)
        finished = time.time()
        released = analyst.released_at()
    assert analyst.articles_seen == 6            # a real reader, on the same file
    assert summary.counts() == {"loaded": 6}
    assert started < released < finished          # the run was still going when the file was freed
    assert summary.step_seconds["load"] >= released - started - 3   # and it was the load that waited
    assert sorted(u for (u,) in rows(db, "SELECT canonical_url FROM articles")) == sorted(first + second)
    assert rows(db, "SELECT count(*) FROM fetches WHERE outcome = 'fetched'") == [(12,)]
    assert rows(db, "SELECT count(*) FROM runs") == [(2,)]
    assert integrity_problems(db) == {}
    print(f"\nanalyst held the file {released - analyst.held_at:.1f} s; the run took {finished - started:.1f} s, "
          f"its load step {summary.step_seconds['load']:.1f} s, and ended {finished - released:.1f} s after the release")


@pytest.mark.slow
def test_batch_left_by_a_load_that_gave_up_is_loaded_by_the_next_run(prefect_harness, tmp_path):
    db = tmp_path / "held-long.duckdb"
    # A writer that waits about 2 s for the file (4 attempts), so that the hold outlasts it.
    settings = replace(QUICK, db_path=db, writer_lock_attempts=4)
    articles = site_pages(12, 9)
    with serve_fault_site(articles) as server:
        groups = [[server.url(a.path) for a in articles[i::3]] for i in (0, 1, 2)]
        ingest(urls=groups[0], db_path=str(db), settings=settings)
        # Longer than the writer waits: the load gives up, the batch stays staged, and the run
        # fails after recording what it could (its run record needs the file too).
        analyst = Analyst(db, seconds=30)
        held = ingest(urls=groups[1], db_path=str(db), settings=settings, return_state=True)
        analyst.released_at()
        later = ingest(urls=groups[2], db_path=str(db), settings=settings)
    assert held.is_failed()
    assert later.counts() == {"loaded": 3, "staged_batches_recovered": 1}
    assert sorted(u for (u,) in rows(db, "SELECT canonical_url FROM articles")) == sorted(sum(groups, []))
