"""A run that fails half way is not redone: its fetched and parsed pages wait on disk as staged
batches, the next run loads them first, and no page is fetched twice."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

from flows.ingest import ingest
from tests.conftest import EXAMPLES_SITE
from tests.local_server import html, local_server
from tests.test_ingest_flow import FAST_RETRIES
from warehouse.db import connect
from warehouse.queries import run_query

HOLD = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); print('held', flush=True); sys.stdin.read()"


def test_failed_run_is_finished_by_the_next_without_refetching(prefect_harness, tmp_path):
    db = tmp_path / "resume.duckdb"
    connect(db).close()
    pages = sorted(p for p in EXAMPLES_SITE.glob("*.html") if p.name != "index.html")
    routes = {f"/{p.name}": html(p.read_bytes()) for p in pages}
    impatient = replace(FAST_RETRIES, writer_lock_attempts=2)
    with local_server(routes) as server:
        urls = [server.base_url + path for path in routes]
        analyst = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True)
        try:
            assert analyst.stdout.readline().strip() == "held"
            failed = ingest(urls=urls, db_path=str(db), settings=impatient, return_state=True)
        finally:
            analyst.communicate("")    # the analyst closes the session
        assert failed.is_failed()
        staged = list((tmp_path / "resume.duckdb.staging").glob("*.jsonl"))
        assert len(staged) == 1

        second = ingest(urls=urls, db_path=str(db), settings=FAST_RETRIES)

    assert second.counts() == {"duplicate": len(pages), "staged_batches_recovered": 1}
    assert {path: server.hits[path] for path in routes} == {path: 1 for path in routes}
    assert run_query(db, "SELECT count(*) FROM articles").rows == ((len(pages),),)
    assert run_query(db, "SELECT count(*) FROM quotes_with_speakers WHERE speaker = 'Vladimir Putin'").rows == ((1,),)
    assert not list((tmp_path / "resume.duckdb.staging").glob("*.jsonl"))
