"""Figures for docs/RELIABILITY.md: the fault-injected site and the crash series.

    .venv/bin/python bench/faults.py faults  [--pages 1000] [--rate 0.3] [--seed 9]
    .venv/bin/python bench/faults.py crashes [--pages 30] [--hosts 10] [--kills 20] [--seed 2026]

`faults` serves a synthetic site on 127.0.0.1 whose responses fail transiently at the given rate
(timeouts, resets, 429/503 with Retry-After, truncated bodies), runs the ingest flow with quick
retry settings and prints what the server saw next to what the fetches table says. `crashes`
runs `newsdesk ingest` clean once, then kills it with SIGKILL at seeded points and reruns it,
and prints where the kills fell, how the reruns ended and whether the tables match the clean
run's. Both print one JSON object. The same scenarios are asserted by tests/reliability.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def bench_faults(pages: int, rate: float, seed: int) -> dict:
    from flows.ingest import ingest
    from tests.reliability.checks import integrity_problems, path_of, rows
    from tests.reliability.faultsite import plan_faults, serve_fault_site
    from tests.reliability.newsroom import site_pages
    from tests.reliability.test_faults import FAULTY

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "faults.duckdb"
        articles = site_pages(seed, pages)
        plan = plan_faults([a.path for a in articles], seed, rate, FAULTY.fetch_retries)
        with serve_fault_site(articles, plan, timeout_sleep_s=3.0, retry_after_s=1) as server:
            started = time.perf_counter()
            summary = ingest(urls=[server.url(a.path) for a in articles], db_path=str(db),
                             settings=replace(FAULTY, db_path=db))
            seconds = time.perf_counter() - started
        attempts = {path_of(u): n for u, n in rows(db, "SELECT url, attempts FROM fetches")}
        return {
            "pages": pages, "responses": len(server.served), "failed_responses": server.failed_responses(),
            "failed_share": round(server.failed_responses() / len(server.served), 3),
            "faults": dict(Counter(s.fault for s in server.served if s.fault)),
            "outcomes": summary.counts(),
            "articles": rows(db, "SELECT count(DISTINCT canonical_url) FROM articles")[0][0],
            "retries_in_fetches": sum(n - 1 for n in attempts.values()),
            "attempts_match_server": attempts == dict(server.hits),
            "integrity_problems": integrity_problems(db), "seconds": round(seconds, 1),
        }


def bench_crashes(pages: int, hosts: int, kills: int, seed: int) -> dict:
    from tests.reliability.checks import content_snapshot, integrity_problems
    from tests.reliability.crashing import archive_problems, kill_phases, run_crash_series

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        clean_db, clean_seconds, results = run_crash_series(Path(tmp), pages, hosts, kills, seed)
        reference = content_snapshot(clean_db)
        return {
            "pages": pages, "hosts": hosts, "kills": kills, "clean_run_seconds": round(clean_seconds, 1),
            "kill_points_s": [round(r.kill_after_s, 1) for r in results],
            "kill_phases": kill_phases(results, pages),
            "reruns_hung": [r.index for r in results if r.rerun_code is None],
            "reruns_failed": [r.index for r in results if r.rerun_code not in (0, None)],
            "staged_batches_left_by_kill": sum(r.staged_left for r in results),
            "runs_matching_clean_tables": sum(content_snapshot(r.db) == reference for r in results),
            "runs_with_integrity_problems": [r.index for r in results if integrity_problems(r.db)],
            "runs_with_archive_problems": [r.index for r in results if archive_problems(r.db)],
            "total_seconds": round(time.perf_counter() - started, 1),
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    faults = commands.add_parser("faults")
    faults.add_argument("--pages", type=int, default=1000)
    faults.add_argument("--rate", type=float, default=0.3)
    faults.add_argument("--seed", type=int, default=9)
    crashes = commands.add_parser("crashes")
    crashes.add_argument("--pages", type=int, default=30)
    crashes.add_argument("--hosts", type=int, default=10)
    crashes.add_argument("--kills", type=int, default=20)
    crashes.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newsdesk-bench-prefect-"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    if args.command == "faults":
        figures = bench_faults(args.pages, args.rate, args.seed)
    else:
        figures = bench_crashes(args.pages, args.hosts, args.kills, args.seed)
    print(json.dumps(figures, default=str))


if __name__ == "__main__":
    main()
