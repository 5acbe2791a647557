"""The warehouse on real DuckDB files: migrations, idempotent loads, whole rows read back."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timezone

import duckdb
import pytest

from warehouse.batch import make_batch
from warehouse.db import LockPolicy, WarehouseBusy, apply_migrations, connect, list_migrations, open_writer
from warehouse.keys import make_key
from warehouse.loader import load_articles, load_batch_records, record_fetches, record_run
from warehouse.rows import ArticleRow, FetchRow, PageRow, QuoteRow, RunRow


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


# --- v2: text versions, parse records, upgrades of v1 files -------------------------------------

V1_ARTICLE = (
    "k1", "news.example.com", "https://news.example.com/a/1", "https://news.example.com/a/1",
    "Old title", None, "Example News", "en", "Old text.\nSecond paragraph.", 4,
    datetime(2021, 12, 7, 21, 11, tzinfo=timezone.utc), "2021-12-08T02:41:00+05:30", "08-12-2021",
    "byline", None, None, None, None, "Reuters", "Moscow", None, "rawhash", "v1", "run-0",
    datetime(2021, 12, 8, tzinfo=timezone.utc), datetime(2021, 12, 9, tzinfo=timezone.utc),
)


def make_v1_file(path):
    """A file exactly as the first release left it: migrations 0001 and 0002 only, with rows."""
    con = duckdb.connect(str(path))
    apply_migrations(con, up_to=2)
    con.execute("INSERT INTO articles VALUES (" + ", ".join("?" * len(V1_ARTICLE)) + ")", list(V1_ARTICLE))
    con.execute("INSERT INTO sources VALUES ('news.example.com', '2021-12-08 00:00+00', '2021-12-09 00:00+00')")
    con.execute("INSERT INTO authors VALUES ('au1', 'Jane Doe')")
    con.execute("INSERT INTO article_authors VALUES ('k1', 'au1', 0)")
    con.execute("INSERT INTO tags VALUES ('t1', 'country', 'Russia')")
    con.execute("INSERT INTO article_tags VALUES ('k1', 't1')")
    con.execute("INSERT INTO speakers VALUES ('s1', 'Yuri Ushakov')")
    con.execute("INSERT INTO quotes VALUES ('q1', 'k1', 0, 'We will win,', 'direct', 'said', 's1', "
                "'Ushakov', 'Kremlin aide', 0, 12, 0, 0.9)")
    con.execute("INSERT INTO runs VALUES ('run-0', 'ingest', '2021-12-08 00:00+00', '2021-12-08 00:01+00', 1, '{\"loaded\": 1}')")
    con.execute("INSERT INTO fetches VALUES ('f1', 'run-0', 'https://news.example.com/a/1', NULL, "
                "'news.example.com', 'fetched', 200, 'text/html', 100, 'rawhash', 1, 5.0, NULL, '2021-12-08 00:00+00')")
    con.close()


V1_TABLES = ["sources", "runs", "fetches", "authors", "article_authors", "tags", "article_tags", "speakers", "quotes"]


def test_a_v1_file_upgrades_in_place_and_keeps_every_row(db_path):
    make_v1_file(db_path)
    before = {t: table_rows(db_path, f"SELECT * FROM {t} ORDER BY ALL") for t in V1_TABLES}
    con = connect(db_path)   # the new code: applies 0003 onwards
    versions = [v for (v,) in con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()]
    con.close()
    assert versions == [v for v, _ in list_migrations()]
    assert {t: table_rows(db_path, f"SELECT * FROM {t} ORDER BY ALL") for t in V1_TABLES} == before
    v1_columns = "* EXCLUDE (text_hash, text_since)"
    assert table_rows(db_path, f"SELECT {v1_columns} FROM articles") == [V1_ARTICLE]
    assert table_rows(db_path, "SELECT text_hash, text_since FROM articles") == [
        (hashlib.sha256(V1_ARTICLE[8].encode()).hexdigest(), V1_ARTICLE[24])]
    assert table_rows(db_path, "SELECT speaker, quote FROM quotes_with_speakers") == [("Yuri Ushakov", "We will win,")]


def test_an_upgraded_file_versions_the_text_of_an_old_article(db_path):
    make_v1_file(db_path)
    # The same URL as the v1 row, so the same key once the loader computes it.
    url = V1_ARTICLE[3]
    with open_writer(db_path) as con:
        con.execute("UPDATE articles SET article_id = ? WHERE article_id = 'k1'", [make_key(url)])
        load_articles(con, [make_article(url=url, text="Old text.\nSecond paragraph.")], "run-1")
    assert table_rows(db_path, "SELECT count(*) FROM article_versions") == [(0,)]
    with open_writer(db_path) as con:
        counts = load_articles(con, [make_article(url=url, text="New text.")], "run-2")
    assert counts.new_versions == 1
    assert table_rows(db_path, "SELECT text, first_seen FROM article_versions") == [
        ("Old text.\nSecond paragraph.", V1_ARTICLE[24])]
    assert table_rows(db_path, "SELECT count(*), any_value(text), min(first_seen) FROM articles") == [
        (1, "New text.", V1_ARTICLE[24])]


def test_a_changed_text_becomes_a_version_never_a_second_article(db_path):
    t0, t1, t2, t3 = (datetime(2024, 5, d, tzinfo=timezone.utc) for d in (1, 2, 3, 4))
    first, second = make_article(text="Version one."), make_article(text="Version two, longer.")

    def load(row, run, when):
        with open_writer(db_path) as con:
            return load_batch_records(con, make_batch([PageRow(row.url, "ok", None, row, "test-1")], run, when))

    assert load(first, "r0", t0).new_versions == 0
    assert load(first, "r1", t1).new_versions == 0          # seen again, same text: last_seen only
    assert table_rows(db_path, "SELECT first_seen, last_seen, text_since FROM articles") == [(t0, t1, t0)]
    assert table_rows(db_path, "SELECT count(*) FROM article_versions") == [(0,)]

    assert load(second, "r2", t2).new_versions == 1
    assert table_rows(db_path, "SELECT count(*), any_value(text), any_value(first_seen), any_value(text_since) "
                               "FROM articles") == [(1, "Version two, longer.", t0, t2)]
    assert table_rows(db_path, "SELECT * FROM article_versions") == [(
        make_key(first.url), hashlib.sha256(b"Version one.").hexdigest(), "A title", "Version one.", 2,
        "abc", "test-1", t0, t1, t2)]

    load(first, "r3", t3)   # the page went back to its first text: the second one is kept too
    assert table_rows(db_path, "SELECT text, first_seen, last_seen, superseded_at FROM article_versions ORDER BY text") == [
        ("Version one.", t0, t1, t2), ("Version two, longer.", t2, t2, t3)]
    assert table_rows(db_path, "SELECT count(*), any_value(text), any_value(text_since) FROM articles") == [
        (1, "Version one.", t3)]


def test_one_article_reached_by_two_urls_in_a_batch_is_one_row_with_two_page_records(db_path):
    canonical = "https://news.example.com/a/1"
    amp = replace(make_article(url="https://news.example.com/amp/a/1"), canonical_url=canonical)
    plain = make_article(url=canonical, text="The canonical page text.")
    pages = [PageRow(amp.url, "ok", None, amp, "t"), PageRow(plain.url, "ok", None, plain, "t")]
    with open_writer(db_path) as con:
        counts = load_batch_records(con, make_batch(pages, "run-1", datetime(2024, 1, 1, tzinfo=timezone.utc)))
    assert (counts.articles, counts.pages) == (1, 2)
    assert table_rows(db_path, "SELECT url, text FROM articles") == [(canonical, "The canonical page text.")]
    assert table_rows(db_path, "SELECT url, article_id FROM parses ORDER BY url") == [
        (plain.url, make_key(canonical)), (amp.url, make_key(canonical))]


def test_a_page_whose_canonical_url_is_on_another_host_counts_for_both_sources(db_path):
    when = datetime(2024, 2, 1, tzinfo=timezone.utc)
    row = replace(make_article(url="https://wire.example.net/story"), canonical_url="https://www.news.example.com/story")
    with open_writer(db_path) as con:
        load_batch_records(con, make_batch([PageRow(row.url, "ok", None, row, "t")], "run-1", when))
    assert table_rows(db_path, "SELECT * FROM sources ORDER BY 1") == [
        ("news.example.com", when, when), ("wire.example.net", when, when)]
    assert table_rows(db_path, "SELECT source_id FROM articles") == [("news.example.com",)]
    assert table_rows(db_path, "SELECT source_id FROM parses") == [("wire.example.net",)]


def test_tags_and_quotes_that_fold_to_one_key_are_stored_once(db_path):
    row = replace(make_article(), tags=(("keyword", "NATO"), ("keyword", "nato "), ("country", "Russia")),
                  quotes=(QuoteRow("A,", "direct", "said", "X Y", "X Y", None, 5, 7, 0, 0.9),
                          QuoteRow("A, b", "direct", "said", "x  y", "X Y", None, 5, 9, 0, 0.5)))
    with open_writer(db_path) as con:
        load_articles(con, [row], "run-1")
    assert table_rows(db_path, "SELECT kind, name FROM article_tags JOIN tags USING (tag_id) ORDER BY ALL") == [
        ("country", "Russia"), ("keyword", "NATO")]
    assert table_rows(db_path, "SELECT quote, speaker FROM quotes_with_speakers") == [("A,", "X Y")]


def test_every_page_status_is_recorded_in_parses(db_path):
    when = datetime(2024, 3, 1, 12, tzinfo=timezone.utc)
    ok = make_article(url="https://site.example/a")
    pages = [PageRow(ok.url, "ok", None, ok, "t"),
             PageRow("https://site.example/b", "no_text", "no main text found", None, "t"),
             PageRow("https://site.example/c", "parse_failed", "ValueError: bad", None, "t")]
    with open_writer(db_path) as con:
        load_batch_records(con, make_batch(pages, "run-9", when))
    assert table_rows(db_path, "SELECT * FROM parses ORDER BY url") == [
        (make_key("run-9", ok.url), "run-9", ok.url, "site.example", "ok", None, make_key(ok.url), 4, True, True, 2, "test-1", when),
        (make_key("run-9", "https://site.example/b"), "run-9", "https://site.example/b", "site.example", "no_text",
         "no main text found", None, 0, False, False, 0, "t", when),
        (make_key("run-9", "https://site.example/c"), "run-9", "https://site.example/c", "site.example", "parse_failed",
         "ValueError: bad", None, 0, False, False, 0, "t", when),
    ]


def test_a_failing_batch_rolls_back_whole(db_path):
    with open_writer(db_path) as con:
        load_articles(con, [make_article()], "run-1")
        broken = make_batch([PageRow(make_article().url, "ok", None, make_article(text="New"), "t")], "run-2",
                            datetime.now(timezone.utc))
        # A NULL in a NOT NULL column fails the articles insert after the version row was written.
        broken[0]["content_hash"] = None
        with pytest.raises(duckdb.ConstraintException):
            load_batch_records(con, broken)
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (1,)   # still usable
    assert table_rows(db_path, "SELECT text, run_id FROM articles") == [("First paragraph.\nSecond one.", "run-1")]
    assert table_rows(db_path, "SELECT count(*) FROM article_versions") == [(0,)]


# --- property: any sequence of loads ends as one row per article with its texts as versions -----

from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st  # noqa: E402

TEXTS = ["Alpha text.", "Beta text, longer.", "Gamma."]
URLS = [f"https://prop.example/{n}" for n in range(3)]


@pytest.fixture(scope="module")
def empty_warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("prop") / "empty.duckdb"
    connect(path).close()
    return path


@hyp_settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(loads=st.lists(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=3),
                      min_size=1, max_size=4))
def test_any_load_sequence_keeps_one_row_per_article_and_every_replaced_text(loads, empty_warehouse, tmp_path):
    import shutil
    import uuid

    path = tmp_path / f"{uuid.uuid4().hex}.duckdb"
    shutil.copy(empty_warehouse, path)
    history: dict[str, list[str]] = {}
    with open_writer(path) as con:
        for number, batch in enumerate(loads):
            rows = {URLS[u]: make_article(url=URLS[u], text=TEXTS[t]) for u, t in batch}   # last one wins
            load_articles(con, list(rows.values()), f"run-{number}")
            for url, row in rows.items():
                history.setdefault(url, []).append(row.text)
        current = dict(con.execute("SELECT url, text FROM articles").fetchall())
        versions = con.execute("SELECT a.url, v.text FROM article_versions v JOIN articles a USING (article_id)").fetchall()
        quotes = con.execute("SELECT count(*) FROM quotes").fetchone()[0]
    assert current == {url: texts[-1] for url, texts in history.items()}
    expected = {(url, texts[i]) for url, texts in history.items() for i in range(len(texts) - 1) if texts[i] != texts[i + 1]}
    assert sorted(versions) == sorted(expected)
    assert quotes == 2 * len(history)
