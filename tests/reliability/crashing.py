"""The crash series behind tests/reliability/test_crashes.py and bench/faults.py: a clean
`newsdesk ingest`, then runs killed with SIGKILL at seeded points and run again."""
from __future__ import annotations

import gzip
import hashlib
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path

from tests.reliability.checks import rows
from tests.reliability.cli import kill_group, newsdesk_env, run_newsdesk, start_newsdesk
from tests.reliability.faultsite import serve_fault_sites
from tests.reliability.newsroom import site_pages


@dataclass(frozen=True)
class CrashRun:
    index: int
    kill_after_s: float
    requests_before_kill: int     # page requests the servers had answered when the kill came
    articles_at_kill: int         # rows in articles right after the kill (-1: no warehouse file yet)
    runs_at_kill: int
    staged_left: int              # batch files waiting in the staging folder after the kill
    rerun_code: int | None        # None: the rerun hung and was killed
    rerun_seconds: float
    db: Path


def warehouse_state(db: Path) -> tuple[int, int]:
    """(articles, runs) when the run was killed; -1 articles when there was no warehouse yet: no
    file, or a file the kill caught between its creation and its tables (the rerun migrates it)."""
    if not db.exists() or not has_articles_table(db):
        return -1, 0
    return rows(db, "SELECT count(*) FROM articles")[0][0], rows(db, "SELECT count(*) FROM runs")[0][0]


def has_articles_table(db: Path) -> bool:
    return rows(db, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'articles'")[0][0] > 0


def staged_batches(db: Path) -> int:
    return len(list(db.with_name(db.name + ".staging").glob("batch-*.jsonl")))


def archive_problems(db: Path) -> list[str]:
    """Files of the raw archive that do not decompress to a body hashing to their name."""
    bad = []
    for path in db.with_name(db.name + ".archive").rglob("*.gz"):
        if path.name.startswith("."):
            continue
        if hashlib.sha256(gzip.decompress(path.read_bytes())).hexdigest() != path.name[:-3]:
            bad.append(str(path))
    return bad


def flow_seconds(log: Path) -> float:
    match = re.search(r"URLs in ([0-9.]+) s", log.read_text(errors="replace"))
    assert match, log.read_text(errors="replace")[-2000:]
    return float(match.group(1))


def run_crash_series(tmp: Path, pages: int, hosts: int, kills: int, seed: int
                     ) -> tuple[Path, float, list[CrashRun]]:
    """(clean warehouse, clean run seconds, one CrashRun per kill)."""
    articles = site_pages(seed, pages)
    groups = [articles[i::hosts] for i in range(hosts)]
    with serve_fault_sites(groups) as servers:
        urls_file = tmp / "urls.txt"
        urls_file.write_text("\n".join(s.url(a.path) for s, g in zip(servers, groups) for a in g) + "\n")

        def ingest_args(db: Path) -> list[str]:
            return ["ingest", "--urls-file", str(urls_file), "--db", str(db), "--allow-private-hosts"]

        def page_requests() -> int:
            return sum(len(s.served) for s in servers)

        clean_db = tmp / "clean" / "news.duckdb"
        clean_db.parent.mkdir()
        started = time.monotonic()
        code = run_newsdesk(ingest_args(clean_db), newsdesk_env(tmp / "clean" / "prefect"), tmp / "clean.log", 600)
        clean_seconds = time.monotonic() - started
        assert code == 0, (tmp / "clean.log").read_text()[-3000:]
        startup_s = min(s.served[0].started for s in servers if s.served) - started
        # The flow's own time, as the command prints it ("30 URLs in 8.8 s"): after it, only the
        # process's exit is left (stopping Prefect's server), where a kill hits nothing of ours.
        active_s = flow_seconds(tmp / "clean.log") * 1.1

        rng = random.Random(seed)
        startup_kills = max(1, kills // 5)
        results = []
        for i in range(kills):
            home, db = tmp / f"run{i}", tmp / f"run{i}" / "news.duckdb"
            home.mkdir()
            env = newsdesk_env(home / "prefect")
            before = page_requests()
            process = start_newsdesk(ingest_args(db), env, home / "killed.log")
            launched = time.monotonic()
            if i < startup_kills:
                # A few kills while the command starts (imports, Prefect's server): nothing written yet.
                time.sleep(rng.uniform(0.1, 0.9) * startup_s)
            else:
                # The others spread over the flow's active part, counted from this run's first
                # page request (start-up time varies from run to run): one in each slice of it.
                slot = i - startup_kills
                delay = (slot + rng.random()) / (kills - startup_kills) * active_s
                while page_requests() == before and process.poll() is None:
                    time.sleep(0.02)
                time.sleep(delay)
            kill_after = time.monotonic() - launched
            kill_group(process)
            requests_done = page_requests() - before
            articles, runs = warehouse_state(db)
            staged = staged_batches(db)
            rerun_started = time.monotonic()
            code = run_newsdesk(ingest_args(db), env, home / "rerun.log", timeout_s=max(120.0, 3 * clean_seconds))
            rerun_seconds = time.monotonic() - rerun_started
            if code is None:
                # The rerun hung (see test_crash_writer_slot.py): check the data anyway, with a
                # Prefect home the killed run never touched.
                run_newsdesk(ingest_args(db), newsdesk_env(home / "prefect-fresh"), home / "rerun2.log", 600)
            results.append(CrashRun(i, kill_after, requests_done, articles, runs, staged, code, rerun_seconds, db))
    return clean_db, clean_seconds, results


def kill_phases(results: list[CrashRun], expected_requests: int) -> dict[str, int]:
    """Where the kills fell, judged by what the servers and the warehouse had seen."""
    phases = {"before any page": 0, "while fetching": 0, "fetched, before the load committed": 0,
              "after articles were loaded": 0, "after the run was recorded": 0}
    for run in results:
        if run.requests_before_kill == 0:
            phases["before any page"] += 1
        elif run.articles_at_kill <= 0 and run.requests_before_kill < expected_requests:
            phases["while fetching"] += 1
        elif run.articles_at_kill <= 0:
            phases["fetched, before the load committed"] += 1
        elif run.runs_at_kill == 0:
            phases["after articles were loaded"] += 1
        else:
            phases["after the run was recorded"] += 1
    return phases
