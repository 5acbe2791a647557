"""Crashes: `newsdesk ingest` killed (SIGKILL) at seeded random points, then run again, must end
with the tables of a run that never died: the same rows, no duplicates, no orphans.

The site is 30 pages on 10 hosts (127.0.0.1 to 127.0.0.10), served for the whole module so that
URLs stay the same. One clean run gives the reference tables. Then 20 times: a fresh warehouse,
`newsdesk ingest` started as a user starts it (its own process group, Prefect's ephemeral server,
a PREFECT_HOME of its own that the rerun shares), killed with SIGKILL at a point spread over the
run's active part (a few during start-up), and run again to its end. Marked slow: 15 to 25 minutes.
"""
from __future__ import annotations

import pytest

from tests.reliability.checks import content_snapshot, integrity_problems
from tests.reliability.crashing import archive_problems, kill_phases, run_crash_series

PAGES, HOSTS, KILLS, SEED = 30, 10, 20, 2026

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def crash_runs(tmp_path_factory):
    return run_crash_series(tmp_path_factory.mktemp("crashes"), PAGES, HOSTS, KILLS, SEED)


def test_every_crashed_run_ends_with_the_clean_run_tables(crash_runs):
    clean_db, clean_seconds, results = crash_runs
    reference = content_snapshot(clean_db)
    assert len(reference["articles"]) == PAGES and reference["quotes"] and reference["authors"]
    assert integrity_problems(clean_db) == {}
    print(f"\nclean run: {clean_seconds:.1f} s")
    for run in results:
        print(f"kill {run.index:2d} at {run.kill_after_s:5.1f} s: {run.requests_before_kill:2d} page requests, "
              f"articles {run.articles_at_kill:3d}, runs {run.runs_at_kill}, staged {run.staged_left}; "
              f"rerun exit {run.rerun_code} in {run.rerun_seconds:.1f} s")
    differing = {run.index: [t for t, got in content_snapshot(run.db).items() if got != reference[t]]
                 for run in results}
    assert {i: tables for i, tables in differing.items() if tables} == {}
    assert {run.index: integrity_problems(run.db) for run in results if integrity_problems(run.db)} == {}
    assert {run.index: archive_problems(run.db) for run in results if archive_problems(run.db)} == {}


def test_kill_points_cover_the_whole_run(crash_runs):
    _, _, results = crash_runs
    phases = kill_phases(results, expected_requests=PAGES)
    print("\nkill points:", phases)
    # Start-up, fetching and after the load: each saw kills (the narrow windows may not).
    assert phases["before any page"] and phases["while fetching"], phases
    assert phases["after articles were loaded"] + phases["after the run was recorded"], phases


def test_reruns_after_a_kill_finish(crash_runs):
    _, _, results = crash_runs
    hung = [run.index for run in results if run.rerun_code is None]
    failed = [run.index for run in results if run.rerun_code not in (0, None)]
    print(f"\nreruns that hung: {hung}; failed: {failed}")
    assert failed == []
