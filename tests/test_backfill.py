"""Backfill from a WARC file: the pages wanted are loaded, the rest counted, no network."""
from __future__ import annotations

from datetime import datetime, timezone

from flows.backfill import backfill
from tasks.settings import Settings
from tests.conftest import EXAMPLES_SITE
from tests.test_discover_sources import write_warc
from warehouse.queries import run_query


def test_backfill_loads_the_wanted_hosts_and_dates(prefect_harness, tmp_path):
    seed = (EXAMPLES_SITE / "devdiscourse-kremlin-putin-biden.html").read_bytes()
    other = (EXAMPLES_SITE / "harbor-gazette-flood-barrier-vote.html").read_bytes()
    warc = tmp_path / "news.warc.gz"
    write_warc(warc, [
        ("https://www.devdiscourse.com/article/international/1838560-kremlin", "2021-12-08T00:00:00Z",
         "200 OK", "text/html; charset=utf-8", seed),
        ("https://harborgazette.example/flood-barrier", "2021-12-09T22:00:00Z", "200 OK", "text/html", other),
        ("https://www.devdiscourse.com/old", "2020-01-01T00:00:00Z", "200 OK", "text/html", seed),
        ("https://www.devdiscourse.com/logo.png", "2021-12-08T00:00:01Z", "200 OK", "image/png", b"\x89PNG"),
    ], compress=True)
    db = tmp_path / "backfill.duckdb"
    summary = backfill([str(warc)], hosts=["devdiscourse.com"], since=datetime(2021, 12, 1, tzinfo=timezone.utc),
                       db_path=str(db), settings=Settings())
    assert summary.outcomes == {"https://www.devdiscourse.com/article/international/1838560-kremlin": "loaded"}
    assert sum(n for outcome, n in summary.counts().items() if outcome.startswith("warc_skipped")) == 3
    assert run_query(db, "SELECT speaker FROM quotes_with_speakers ORDER BY speaker").rows == (
        ("Joe Biden",), ("Vladimir Putin",), ("Yuri Ushakov",))
