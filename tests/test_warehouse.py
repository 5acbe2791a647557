"""The warehouse on real DuckDB files: migrations, idempotent loads, whole rows read back."""
from __future__ import annotations

from datetime import datetime, timezone

import duckdb
import pytest

from warehouse.db import LockPolicy, WarehouseBusy, connect, list_migrations, open_writer
from warehouse.loader import load_articles, record_fetches, record_run
from warehouse.rows import ArticleRow, FetchRow, QuoteRow, RunRow


def make_article(url="https://news.example.com/a/1", text="First paragraph.\nSecond one.", quotes=None):
    return ArticleRow(
        url=url, canonical_url=url, title="A title", description="A description",
        site_name="Example News", language="en", text=text,
        published_iso="2021-12-08T02:41:00+05:30", published_raw="08-12-2021 02:41 IST",
        published_source="byline", updated_iso="2021-12-07", updated_raw="2021-12-07",
        updated_source="meta", agency="Reuters", dateline="Moscow", image=None,
        content_hash="abc", extractor_version="test-1",
        authors=("Jane Doe", "John Roe"), tags=(("country", "Russia"), ("keyword", "NATO")),
        quotes=tuple(quotes if quotes is not None else [
            QuoteRow("We will win,", "direct", "said", "Yuri Ushakov", "Kremlin aide Yuri Ushakov",
                     "Kremlin aide", 0, 12, 0, 0.9),
            QuoteRow("strong measures", "partial", "warned", "Joe Biden", "Biden", None, 20, 35, 1, 0.8),
        ]),
    )


def table_rows(path, sql):
    con = connect(path, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_migrations_apply_once_and_are_recorded(db_path):
    con = connect(db_path)
    con.close()
    con = connect(db_path)
    versions = con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    con.close()
    assert [v for (v,) in versions] == [v for v, _ in list_migrations()]
    assert versions[0] == (1,)


def test_article_round_trip_whole_rows(db_path):
    with open_writer(db_path) as con:
        counts = load_articles(con, [make_article()], run_id="run-1")
    assert (counts.articles, counts.quotes, counts.authors, counts.tags) == (1, 2, 2, 2)
    row = table_rows(db_path, """
        SELECT title, source_id, published_at, published_iso, updated_at, agency, dateline, word_count
        FROM articles""")
    assert row == [("A title", "news.example.com",
                    datetime(2021, 12, 7, 21, 11, tzinfo=timezone.utc), "2021-12-08T02:41:00+05:30",
                    datetime(2021, 12, 7, tzinfo=timezone.utc), "Reuters", "Moscow", 4)]
    assert table_rows(db_path, "SELECT speaker, role, cue, kind, quote FROM quotes_with_speakers ORDER BY paragraph") == [
        ("Yuri Ushakov", "Kremlin aide", "said", "direct", "We will win,"),
        ("Joe Biden", None, "warned", "partial", "strong measures"),
    ]
    assert table_rows(db_path, """
        SELECT a.name FROM article_authors aa JOIN authors a USING (author_id) ORDER BY position""") == [
        ("Jane Doe",), ("John Roe",)]


def test_loading_twice_leaves_the_same_rows(db_path):
    tables = ["articles", "authors", "article_authors", "tags", "article_tags", "speakers", "quotes", "sources"]
    snapshot = "SELECT * EXCLUDE ({}) FROM {} ORDER BY ALL"
    volatile = {"articles": "first_seen, last_seen", "sources": "first_seen, last_seen"}

    def read_all():
        return {t: table_rows(db_path, snapshot.format(volatile[t], t) if t in volatile
                              else f"SELECT * FROM {t} ORDER BY ALL") for t in tables}

    with open_writer(db_path) as con:
        load_articles(con, [make_article()], run_id="run-1")
    first = read_all()
    with open_writer(db_path) as con:
        load_articles(con, [make_article(), make_article()], run_id="run-1")
    assert read_all() == first
    assert table_rows(db_path, "SELECT count(*) FROM quotes") == [(2,)]


def test_reload_replaces_child_rows_of_a_changed_article(db_path):
    with open_writer(db_path) as con:
        load_articles(con, [make_article()], run_id="run-1")
        load_articles(con, [make_article(quotes=[])], run_id="run-2")
    assert table_rows(db_path, "SELECT count(*) FROM quotes") == [(0,)]
    assert table_rows(db_path, "SELECT run_id FROM articles") == [("run-2",)]


def test_fetches_and_runs_are_recorded(db_path):
    now = datetime(2021, 12, 8, tzinfo=timezone.utc)
    fetches = [FetchRow("http://127.0.0.1/a", "http://127.0.0.1/a", "fetched", 200, "text/html", 10, "h", 1, 3.0, None, now),
               FetchRow("http://127.0.0.1/b", None, "http_error", 404, "text/html", None, None, 1, None, "HTTP 404", now)]
    with open_writer(db_path) as con:
        assert record_fetches(con, fetches, "run-1") == 2
        record_run(con, RunRow("run-1", "ingest", now, now, 2, {"loaded": 1, "http_error": 1}))
    assert table_rows(db_path, "SELECT url, outcome, http_status FROM fetches ORDER BY url") == [
        ("http://127.0.0.1/a", "fetched", 200), ("http://127.0.0.1/b", "http_error", 404)]
    assert table_rows(db_path, "SELECT outcomes->>'$.http_error' FROM runs") == [("1",)]


def test_writer_gives_up_with_a_clear_error_while_another_process_holds_the_file(db_path, tmp_path):
    import subprocess
    import sys

    connect(db_path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); print('held', flush=True); time.sleep(30)",
         str(db_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(WarehouseBusy, match="lock"):
            with open_writer(db_path, LockPolicy(attempts=2, first_delay_s=0.05)):
                pass
    finally:
        holder.kill()
        holder.wait()
    with open_writer(db_path, LockPolicy(attempts=20, first_delay_s=0.05)) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (0,)
