"""Transient faults: every page ends loaded exactly once, and every retry is accounted for.

A real server on 127.0.0.1 fails a planned share of its responses (timeouts, resets, 429/503
with Retry-After, truncated bodies). The client's account of the run (the fetches table:
attempts per URL) must equal what the server saw, request for request.
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import replace

import pytest

from flows.ingest import ingest
from tasks.settings import Settings
from tests.reliability.checks import integrity_problems, path_of, rows
from tests.reliability.faultsite import FAULT_KINDS, plan_faults, serve_fault_site
from tests.reliability.newsroom import site_pages

# Small delays so the suite is quick; the read timeout is what a "timeout" fault exceeds.
FAULTY = Settings(retry_delays_s=(0.05, 0.1, 0.2), fetch_retries=3, read_timeout_s=2.0,
                  connect_timeout_s=2.0, total_timeout_s=10.0, per_host_delay_s=0.0,
                  per_host_concurrency=8, allow_private_hosts=True)
RETRY_AFTER_S = 1


def run_faulty_site(pages: int, plan_for, db, seed: int = 9):
    articles = site_pages(seed, pages)
    plan = plan_for([a.path for a in articles])
    with serve_fault_site(articles, plan, timeout_sleep_s=3.0, retry_after_s=RETRY_AFTER_S) as server:
        urls = [server.url(a.path) for a in articles]
        started = time.perf_counter()
        summary = ingest(urls=urls, db_path=str(db), settings=replace(FAULTY, db_path=db))
        elapsed = time.perf_counter() - started
    return summary, server, plan, urls, elapsed


def assert_every_page_once_and_every_retry_accounted(summary, server, plan, urls, db):
    assert summary.counts() == {"loaded": len(urls)}
    # Exactly once: one article per page, nothing else, no duplicates or orphans.
    assert rows(db, "SELECT count(*), count(DISTINCT canonical_url) FROM articles") == [(len(urls), len(urls))]
    assert sorted(u for (u,) in rows(db, "SELECT canonical_url FROM articles")) == sorted(urls)
    assert integrity_problems(db) == {}
    # The fetches table: one row per URL, fetched, with as many attempts as the server saw.
    fetches = rows(db, "SELECT url, outcome, attempts FROM fetches")
    assert len(fetches) == len(urls)
    assert {outcome for _, outcome, _ in fetches} == {"fetched"}
    attempts = {path_of(url): n for url, _, n in fetches}
    assert attempts == dict(server.hits)
    # Every planned fault was retried. A response served whole can still fail at the client
    # (its read timeout on a busy machine): that is one more attempt, counted the same way.
    assert all(attempts[path] >= len(faults) + 1 for path, faults in plan.items())
    retries = sum(n - 1 for n in attempts.values())
    spurious = retries - server.failed_responses()
    assert server.failed_responses() == sum(map(len, plan.values()))
    assert 0 <= spurious <= max(2, len(urls) // 100), spurious
    return retries, spurious


def assert_retry_after_honoured(server):
    by_path = defaultdict(list)
    for served in server.served:
        by_path[served.path].append(served)
    waits = [later.started - earlier.started
             for requests in by_path.values() for earlier, later in zip(requests, requests[1:])
             if earlier.fault in ("429", "503")]
    assert waits, "the plan had no 429/503"
    assert min(waits) >= RETRY_AFTER_S - 0.05


def fixed_plan(paths: list[str]) -> dict[str, tuple[str, ...]]:
    """Every fault kind on its own, in pairs, and three in a row (the most the client retries)."""
    plan = {path: () for path in paths}
    singles = [(kind,) for kind in FAULT_KINDS]
    mixes = [("reset", "truncated"), ("429", "timeout"), ("503", "reset", "truncated"),
             ("timeout", "429", "503")]
    for path, faults in zip(paths[::2], singles + mixes):
        plan[path] = faults
    return plan


@pytest.fixture(scope="module")
def small_faulty_run(prefect_harness, tmp_path_factory):
    db = tmp_path_factory.mktemp("faults") / "faults.duckdb"
    summary, server, plan, urls, _ = run_faulty_site(24, fixed_plan, db)
    return summary, server, plan, urls, db


def test_faulty_site_small(small_faulty_run):
    summary, server, plan, urls, db = small_faulty_run
    assert_every_page_once_and_every_retry_accounted(summary, server, plan, urls, db)
    assert_retry_after_honoured(server)
    assert {f for faults in plan.values() for f in faults} == set(FAULT_KINDS)


def summary_artifact(run_id: str) -> str:
    from uuid import UUID

    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[UUID(run_id)])))
    return "\n".join(a.data for a in artifacts if a.key == "ingest-summary")


def test_run_summary_counts_the_retries(small_faulty_run):
    summary, server, _, _, _ = small_faulty_run
    markdown = summary_artifact(summary.run_id)
    assert "| loaded | 24 |" in markdown                     # the artifact is there
    retry_lines = [line for line in markdown.splitlines() if "retr" in line.lower()]
    assert any(str(server.failed_responses()) in line for line in retry_lines), markdown


@pytest.mark.slow
def test_faulty_site_of_1000_pages(prefect_harness, tmp_path):
    db = tmp_path / "faults.duckdb"
    summary, server, plan, urls, elapsed = run_faulty_site(
        1000, lambda paths: plan_faults(paths, seed=9, rate=0.3, max_per_path=FAULTY.fetch_retries), db)
    share = server.failed_responses() / len(server.served)
    assert 0.25 <= share <= 0.35, share
    retries, spurious = assert_every_page_once_and_every_retry_accounted(summary, server, plan, urls, db)
    assert_retry_after_honoured(server)
    print(f"\nretries in the fetches table: {retries} ({spurious} after a response served whole)")
    print(f"\n1000 pages: {len(server.served)} responses, {server.failed_responses()} failed "
          f"({share:.1%}), {elapsed:.0f} s")
