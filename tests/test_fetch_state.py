"""Reruns: validators stored and sent back (304 -> not_modified), loaded URLs not fetched again."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from tasks.discover import Candidate
from tasks.fetch import fetch_url
from tasks.revisit import split_loaded, validator_rows, validators_for
from tasks.settings import Settings
from tests.local_server import Conditional, local_server
from warehouse.db import connect, open_writer
from warehouse.fetch_state import ValidatorRow, loaded_urls, read_validators, save_validators
from warehouse.loader import load_articles
from warehouse.rows import ArticleRow

PAGE = b"<!doctype html><html><body><p>Same as before</p></body></html>"
NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def article(url, canonical):
    return ArticleRow(url=url, canonical_url=canonical, title="T", description=None, site_name=None,
                      language="en", text="Body.", published_iso=None, published_raw=None,
                      published_source=None, updated_iso=None, updated_raw=None, updated_source=None,
                      agency=None, dateline=None, image=None, content_hash="h", extractor_version="t")


def test_nothing_is_known_before_the_first_run(tmp_path):
    db = tmp_path / "none.duckdb"
    assert loaded_urls(db, ["http://a.example/1"]) == set() and read_validators(db, ["http://a.example/1"]) == {}
    connect(tmp_path / "fresh.duckdb").close()
    assert loaded_urls(tmp_path / "fresh.duckdb", ["http://a.example/1"]) == set()


def test_loaded_urls_match_fetched_and_canonical_urls(tmp_path):
    db = tmp_path / "w.duckdb"
    with open_writer(db) as con:
        load_articles(con, [article("http://a.example/1?ref=x", "http://a.example/1")], "run-1")
    settings = Settings(db_path=db)
    candidates = [Candidate("http://a.example/1", "feed"), Candidate("http://a.example/1?ref=x", "argument"),
                  Candidate("http://a.example/2", "argument")]
    fresh, known = split_loaded(candidates, settings)
    assert [c.url for c in fresh] == ["http://a.example/2"]
    assert [c.url for c in known] == ["http://a.example/1", "http://a.example/1?ref=x"]
    assert split_loaded(candidates, settings, refresh=True) == (candidates, [])


def test_validators_round_trip_and_a_304_keeps_them(tmp_path):
    db = tmp_path / "w.duckdb"
    first = ValidatorRow("http://a.example/feed", "feed", '"v1"', "Tue, 07 Dec 2021 21:11:00 GMT", "h1", 200, NOW, True)
    not_modified = replace(first, etag=None, last_modified=None, content_hash=None, http_status=304, changed=False)
    with open_writer(db) as con:
        save_validators(con, [first])
        save_validators(con, [not_modified])
        row = con.execute("SELECT etag, last_modified, content_hash, http_status, changed_at FROM fetch_state").fetchall()
    assert row == [('"v1"', "Tue, 07 Dec 2021 21:11:00 GMT", "h1", 304, NOW)]
    stored = read_validators(db, ["http://a.example/feed", "http://a.example/other"])
    assert list(stored) == ["http://a.example/feed"] and stored["http://a.example/feed"].etag == '"v1"'


def test_a_second_run_asks_conditionally_and_gets_not_modified(tmp_path):
    settings = Settings(db_path=tmp_path / "w.duckdb", allow_private_hosts=True, per_host_delay_s=0.0)
    route = Conditional(PAGE, '"abc"', "Tue, 07 Dec 2021 21:11:00 GMT")
    with local_server({"/feed.xml": route}) as server:
        url = server.base_url + "/feed.xml"
        first = fetch_url(url, settings, validators=validators_for([url], settings).get(url))
        with open_writer(settings.db_path) as con:   # as the run's record stores them
            save_validators(con, validator_rows([first], "feed"))
        second = fetch_url(url, settings, validators=validators_for([url], settings).get(url))
        sent = [headers.get("If-None-Match") for path, _, _, headers in server.log if path == "/feed.xml"]
    assert (first.outcome, second.outcome) == ("fetched", "not_modified")
    assert sent == [None, '"abc"']
    assert [r.changed for r in validator_rows([first, second], "feed")] == [True, False]


def test_a_plan_skips_loaded_urls_and_refresh_asks_conditionally(tmp_path):
    from tasks.revisit import plan_fetches
    from warehouse.fetch_state import ValidatorRow as Row
    db = tmp_path / "w.duckdb"
    with open_writer(db) as con:
        load_articles(con, [article("http://a.example/1", "http://a.example/1")], "run-1")
        save_validators(con, [Row("http://a.example/1", "page", '"e1"', None, "h", 200, NOW, True)])
    candidates = [Candidate("http://a.example/1", "feed"), Candidate("http://a.example/2", "feed")]
    plan = plan_fetches(candidates, Settings(db_path=db))
    assert [c.url for c in plan.to_fetch] == ["http://a.example/2"] and plan.validators == (None,)
    assert [c.url for c in plan.already_loaded] == ["http://a.example/1"]
    again = plan_fetches(candidates, Settings(db_path=db), refresh=True)
    assert [c.url for c in again.to_fetch] == ["http://a.example/1", "http://a.example/2"]
    assert again.validators[0].etag == '"e1"' and again.validators[1] is None and again.already_loaded == ()
