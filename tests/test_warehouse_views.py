"""The analytics views and the README's example queries, on a real file loaded through the loader."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timezone

import duckdb
import pytest

from tests.conftest import REPO
from warehouse.batch import make_batch
from warehouse.db import open_writer
from warehouse.loader import load_batch_records, record_fetches, record_run
from warehouse.rows import ArticleRow, FetchRow, PageRow, QuoteRow, RunRow

DAY1 = datetime(2024, 3, 1, 10, tzinfo=timezone.utc)
DAY2 = datetime(2024, 3, 2, 10, tzinfo=timezone.utc)
NEWS, GAZETTE = "https://www.news.example.com", "https://gazette.example.org"


def article(url, text, published=None, authors=(), tags=(), quotes=()):
    return ArticleRow(
        url=url, canonical_url=url, title=f"Title of {url.rsplit('/', 1)[-1]}", description=None,
        site_name=None, language="en", text=text, published_iso=published, published_raw=published,
        published_source="jsonld" if published else None, updated_iso=None, updated_raw=None,
        updated_source=None, agency=None, dateline=None, image=None, content_hash=f"raw-{url}",
        extractor_version="test-1", authors=tuple(authors), tags=tuple(tags), quotes=tuple(quotes))


def quote(text, speaker, start):
    return QuoteRow(text, "direct", "said", speaker, speaker, None, start, start + len(text), 0, 0.9)


A1 = article(f"{NEWS}/a1", "Talks went on. We will keep talking, said Ushakov. Strong measures, said Biden.",
             "2024-03-01T09:00:00+00:00", ["Jane Doe", "John Roe"], [("country", "Russia"), ("keyword", "NATO")],
             [quote("We will keep talking,", "Yuri Ushakov", 15), quote("Talks went on.", "Yuri Ushakov", 0),
              quote("Strong measures,", "Joe Biden", 51)])
A2 = article(f"{NEWS}/a2", "A second day of talks. Progress is slow, Ushakov said.", "2024-03-01T15:00:00+01:00",
             ["Jane Doe"], [("country", "Russia")], [quote("Progress is slow,", "Yuri Ushakov", 23)])
G1 = article(f"{GAZETTE}/g1", "The council approved the barrier. It protects us all, Ruiz said.", "2024-03-01",
             ["Maria Delgado"], [("topic", "Flooding")], [quote("It protects us all,", "Ana Ruiz", 34)])
G3 = article(f"{GAZETTE}/g3", "Cookie settings Subscribe Menu")   # the site's layout changed: no date, no byline


def fetch(url, when, outcome="fetched", status=200):
    return FetchRow(url, url, outcome, status, "text/html", 1000 if outcome == "fetched" else None, None, 1,
                    12.0, None if outcome == "fetched" else f"{outcome} {status}", when)


def build_sample_warehouse(path):
    """Two sources over two days; the gazette breaks on day 2; article a1 changes its text."""
    day1 = [PageRow(A1.url, "ok", None, A1, "t"), PageRow(A2.url, "ok", None, A2, "t"),
            PageRow(G1.url, "ok", None, G1, "t"), PageRow(f"{GAZETTE}/g2", "no_text", "no main text found", None, "t")]
    a1_updated = replace(A1, text=A1.text + "\nUpdated with a correction.")
    day2 = [PageRow(G3.url, "ok", None, G3, "t"),
            PageRow(f"{GAZETTE}/g4", "parse_failed", "ValueError: bad markup", None, "t"),
            PageRow(A1.url, "ok", None, a1_updated, "t")]
    with open_writer(path) as con:
        load_batch_records(con, make_batch(day1, "run-1", DAY1))
        record_fetches(con, [fetch(p.url, DAY1) for p in day1], "run-1")
        record_run(con, RunRow("run-1", "ingest", DAY1, DAY1, 4, {"loaded": 3, "no_text": 1}))
        load_batch_records(con, make_batch(day2, "run-2", DAY2))
        record_fetches(con, [fetch(p.url, DAY2) for p in day2]
                       + [fetch(f"{GAZETTE}/g5", DAY2, "http_error", 404),
                          fetch(f"{GAZETTE}/g6", DAY2, "network_error", None)], "run-2")
        record_run(con, RunRow("run-2", "ingest", DAY2, DAY2, 5, {"loaded": 2, "parse_failed": 1, "http_error": 1,
                                                                  "network_error": 1}))


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("views") / "news.duckdb"
    build_sample_warehouse(path)
    return path


def query(path, sql):
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(sql).fetchall()
    finally:
        con.close()


def words(row):
    return len(row.text.split())


def test_top_speakers(loaded_db):
    assert query(loaded_db, "SELECT * FROM top_speakers") == [
        ("Yuri Ushakov", 3, 2, 1, datetime(2024, 3, 1, 14, tzinfo=timezone.utc)),
        ("Ana Ruiz", 1, 1, 1, datetime(2024, 3, 1, tzinfo=timezone.utc)),
        ("Joe Biden", 1, 1, 1, datetime(2024, 3, 1, 9, tzinfo=timezone.utc)),
    ]


def test_quotes_with_their_article_and_speaker(loaded_db):
    assert query(loaded_db, """
        SELECT source_id, title, speaker, quote, start_offset FROM quotes_with_speakers
        ORDER BY source_id, title, start_offset""") == [
        ("gazette.example.org", "Title of g1", "Ana Ruiz", "It protects us all,", 34),
        ("news.example.com", "Title of a1", "Yuri Ushakov", "Talks went on.", 0),
        ("news.example.com", "Title of a1", "Yuri Ushakov", "We will keep talking,", 15),
        ("news.example.com", "Title of a1", "Joe Biden", "Strong measures,", 51),
        ("news.example.com", "Title of a2", "Yuri Ushakov", "Progress is slow,", 23),
    ]


def test_articles_per_source_per_day(loaded_db):
    assert query(loaded_db, "SELECT * FROM articles_per_source_day") == [
        ("gazette.example.org", date(2024, 3, 1), 1, words(G1)),
        ("news.example.com", date(2024, 3, 1), 2, words(A1) + 4 + words(A2)),
        ("gazette.example.org", None, 1, words(G3)),
    ]


def test_authors_and_tags(loaded_db):
    first, second = datetime(2024, 3, 1, 9, tzinfo=timezone.utc), datetime(2024, 3, 1, 14, tzinfo=timezone.utc)
    assert query(loaded_db, "SELECT * FROM top_authors") == [
        ("Jane Doe", 2, 1, first, second),
        ("John Roe", 1, 1, first, first),
        ("Maria Delgado", 1, 1, datetime(2024, 3, 1, tzinfo=timezone.utc), datetime(2024, 3, 1, tzinfo=timezone.utc)),
    ]
    assert query(loaded_db, "SELECT * FROM top_tags") == [
        ("country", "Russia", 2, 1), ("keyword", "NATO", 1, 1), ("topic", "Flooding", 1, 1)]
    assert query(loaded_db, "SELECT title, authors, tags, quotes, old_versions FROM article_overview ORDER BY title") == [
        ("Title of a1", ["Jane Doe", "John Roe"], ["country:Russia", "keyword:NATO"], 3, 1),
        ("Title of a2", ["Jane Doe"], ["country:Russia"], 1, 0),
        ("Title of g1", ["Maria Delgado"], ["topic:Flooding"], 1, 0),
        ("Title of g3", None, None, 0, 0),
    ]


def test_source_health_shows_the_site_that_broke(loaded_db):
    assert query(loaded_db, "SELECT * FROM source_health") == [
        ("gazette.example.org", 2, 0.5, 0.5, 0.5, (words(G1) + words(G3)) / 2, 2, 2, date(2024, 3, 2), DAY2),
        ("news.example.com", 2, 1.0, 1.0, 1.0, (words(A1) + 4 + words(A2)) / 2, 0, 0, None, DAY2),
    ]
    assert query(loaded_db, "SELECT * FROM source_health_daily") == [
        ("gazette.example.org", date(2024, 3, 1), 2, 0, 2, 1, 1, 0.5, 1.0, 1.0),
        ("gazette.example.org", date(2024, 3, 2), 4, 2, 2, 1, 1, 0.5, 0.0, 0.0),
        ("news.example.com", date(2024, 3, 1), 2, 0, 2, 2, 0, 1.0, 1.0, 1.0),
        ("news.example.com", date(2024, 3, 2), 1, 0, 1, 1, 0, 1.0, 1.0, 1.0),
    ]


def test_a_source_whose_fill_rates_fell_raises_an_alert(loaded_db):
    # The gazette lost its dates and bylines on day 2; the news site did not change.
    assert query(loaded_db, "SELECT * FROM source_health_alerts") == [
        ("gazette.example.org", date(2024, 3, 2), 2, 2, 1, 0.5, 0.5, 0.0, 1.0, 0.0, 1.0, ["date", "author"])]


def readme_queries() -> list[str]:
    """The SQL statements of the README section "SQL over the DuckDB file"."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("**SQL over the DuckDB file.**"):]
    section = section[:section.index("\n## ")]
    blocks = re.findall(r"```sql\n(.*?)```", section, re.DOTALL)
    return [statement.query for block in blocks for statement in duckdb.extract_statements(block)]


def test_the_readme_queries_run_and_answer(loaded_db):
    queries = readme_queries()
    assert len(queries) >= 10
    for sql in queries:
        assert query(loaded_db, sql), f"no rows from the README query: {sql}"
