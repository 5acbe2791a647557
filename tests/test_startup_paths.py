"""What a short run does not pay for (issue 7, docs/BENCHMARKS.md "Start-up"): the end of a run
written in one open of the warehouse, no migrations work on a current file, no feed parser
imported for a run of plain URLs."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone

import duckdb
import pytest

from tasks.fetch import FetchResult
from tasks.revisit import validator_rows_of
from tests.conftest import REPO
from warehouse.db import apply_migrations, connect, list_migrations, open_writer, schema_is_current, schema_version
from warehouse.fetch_state import ValidatorRow, read_validators
from warehouse.loader import record_run_end
from warehouse.rows import FetchRow, RunRow

T0 = datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
T1 = datetime(2026, 3, 4, 5, 6, 9, tzinfo=timezone.utc)


def answered(url: str, outcome: str = "fetched", etag: str | None = '"e1"') -> FetchResult:
    return FetchResult(url=url, outcome=outcome, http_status=200 if outcome == "fetched" else 304,
                       content_hash="c" * 64 if outcome == "fetched" else None, etag=etag,
                       last_modified="Wed, 08 Dec 2021 10:00:00 GMT", fetched_at=T0)


def fetch_row(url: str) -> FetchRow:
    return FetchRow(url=url, final_url=url, outcome="fetched", http_status=200, content_type="text/html",
                    bytes=1234, content_hash="c" * 64, attempts=1, elapsed_ms=12.5, error=None, fetched_at=T0)


def test_validator_rows_of_every_kind_keep_their_kind_and_skip_what_did_not_answer():
    rows = validator_rows_of(
        feed=[answered("https://news.example/feed.xml", "not_modified", etag=None)],
        sitemap=[FetchResult(url="https://news.example/sitemap.xml", outcome="http_error", http_status=500, fetched_at=T0)],
        page=[answered("https://news.example/a.html"), FetchResult(url="https://news.example/b.html", outcome="network_error")],
    )
    assert [(r.url, r.kind, r.changed, r.etag) for r in rows] == [
        ("https://news.example/feed.xml", "feed", False, None),
        ("https://news.example/a.html", "page", True, '"e1"'),
    ]
    assert validator_rows_of(feed=[], page=[]) == []


def test_record_run_end_writes_fetches_run_and_validators_in_one_transaction(tmp_path):
    db = tmp_path / "news.duckdb"
    run = RunRow("run-1", "ingest", T0, T1, 1, {"loaded": 1})
    validators = validator_rows_of(page=[answered("https://news.example/a.html")])
    with open_writer(db) as con:
        record_run_end(con, [fetch_row("https://news.example/a.html")], run, validators)
    con = connect(db, read_only=True)
    try:
        assert con.execute("SELECT run_id, flow_name, started_at, finished_at, urls, outcomes FROM runs").fetchall() == [
            ("run-1", "ingest", T0, T1, 1, json.dumps({"loaded": 1}))]
        assert con.execute("SELECT run_id, url, outcome, http_status, bytes, attempts FROM fetches").fetchall() == [
            ("run-1", "https://news.example/a.html", "fetched", 200, 1234, 1)]
        assert con.execute("SELECT url, kind, etag, http_status, checked_at, changed_at FROM fetch_state").fetchall() == [
            ("https://news.example/a.html", "page", '"e1"', 200, T0, T0)]
    finally:
        con.close()
    stored = read_validators(db, ["https://news.example/a.html"])
    assert stored["https://news.example/a.html"].last_modified == "Wed, 08 Dec 2021 10:00:00 GMT"


def test_record_run_end_is_all_or_nothing(tmp_path):
    """A row that breaks a constraint (no kind) leaves neither the run nor its fetches behind."""
    db = tmp_path / "news.duckdb"
    run = RunRow("run-2", "ingest", T0, T1, 1, {"loaded": 1})
    broken = ValidatorRow("https://news.example/a.html", None, '"e1"', None, None, 200, T0, True)
    with open_writer(db) as con:
        with pytest.raises(duckdb.ConstraintException):
            record_run_end(con, [fetch_row("https://news.example/a.html")], run, [broken])
        assert con.execute("SELECT count(*) FROM runs").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM fetches").fetchall() == [(0,)]
        # The connection is usable again: the same end, written right, goes through.
        record_run_end(con, [fetch_row("https://news.example/a.html")], run, [])
        assert con.execute("SELECT run_id FROM runs").fetchall() == [("run-2",)]
        assert con.execute("SELECT count(*) FROM fetch_state").fetchall() == [(0,)]


def test_a_run_of_plain_urls_does_not_import_the_feed_parser():
    code = ("import sys, tasks.discover\n"
            "from tasks.discover import parse_feed\n"
            "assert 'feedparser' not in sys.modules, 'imported at start-up'\n"
            "result = parse_feed(b'<rss version=\"2.0\"><channel><item><link>https://n.example/a</link>"
            "</item></channel></rss>', 'https://n.example/feed')\n"
            "print(result.status, [c.url for c in result.candidates])\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok ['https://n.example/a']"


def test_an_open_skips_the_migrations_only_when_every_one_is_applied(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    try:
        assert not schema_is_current(con)                # a new file: no bookkeeping table yet
        apply_migrations(con, up_to=3)                   # as an older release left it
        assert not schema_is_current(con) and schema_version(con) == 3
    finally:
        con.close()
    with open_writer(db) as con:                         # the open upgrades it
        assert schema_is_current(con)
        assert schema_version(con) == list_migrations()[-1][0]
        assert con.execute("SELECT count(*) FROM fetch_state").fetchall() == [(0,)]
    with open_writer(db) as con:                         # and the next one finds nothing to do
        assert schema_is_current(con)
        assert con.execute("SELECT count(*) FROM schema_migrations").fetchall() == [(len(list_migrations()),)]
