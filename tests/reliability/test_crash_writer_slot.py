"""A run killed while it holds the warehouse-writer slot must not block the runs after it.

`tasks/writer.py` takes a one-slot Prefect global concurrency limit around every write. This test
makes a `newsdesk ingest` hold that slot for sure (an analyst holds the DuckDB file, so the load
waits inside the slot with its batch already staged), kills the process group with SIGKILL, lets
the analyst go, and runs `newsdesk ingest` again with the same PREFECT_HOME, as a user would.
"""
from __future__ import annotations

import time

import pytest

from tests.reliability.analyst import Analyst
from tests.reliability.checks import rows
from tests.reliability.cli import kill_group, newsdesk_env, run_newsdesk, start_newsdesk
from tests.reliability.faultsite import serve_fault_site
from tests.reliability.newsroom import site_pages
from warehouse.db import connect


def wait_for(condition, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
def test_writer_slot_of_a_killed_run_is_not_leaked(tmp_path):
    db = tmp_path / "news.duckdb"
    connect(db).close()                      # an empty, migrated warehouse for the analyst to hold
    env = newsdesk_env(tmp_path / "prefect")
    articles = site_pages(21, 3)
    with serve_fault_site(articles) as server:
        args = ["ingest", *[server.url(a.path) for a in articles], "--db", str(db), "--allow-private-hosts"]
        analyst = Analyst(db, seconds=600)
        killed = start_newsdesk(args, env, tmp_path / "killed.log")
        staged = db.with_name(db.name + ".staging")
        in_slot = wait_for(lambda: any(staged.glob("batch-*.jsonl")), timeout_s=300)
        kill_group(killed)
        analyst.process.kill()
        analyst.process.wait()
        assert in_slot, (tmp_path / "killed.log").read_text()[-2000:]
        code = run_newsdesk(args, env, tmp_path / "rerun.log", timeout_s=240)
    assert code == 0, (tmp_path / "rerun.log").read_text()[-2000:]
    assert rows(db, "SELECT count(*) FROM articles") == [(3,)]
