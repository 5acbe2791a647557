"""End to end: the example site on a real local HTTP server -> ingest flow -> DuckDB file -> SQL."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from flows.cli import main
from flows.ingest import ingest
from flows.site_server import serve_site
from tasks.settings import Settings
from tests.conftest import EXAMPLES_SITE, FIXTURES
from tests.local_server import fail_then, html, local_server
from warehouse.queries import run_query

EXPECTED = json.loads((FIXTURES / "seed" / "expected.json").read_text())
FAST_RETRIES = Settings(retry_delays_s=(0.05, 0.05, 0.05), allow_private_hosts=True, per_host_delay_s=0.0)


@pytest.fixture(scope="module")
def demo_run(prefect_harness, tmp_path_factory):
    db = tmp_path_factory.mktemp("e2e") / "news.duckdb"
    with serve_site(EXAMPLES_SITE) as base_url:
        summary = ingest(feeds=[f"{base_url}/feed.xml"], db_path=str(db), settings=FAST_RETRIES)
    return summary, db


def rows(db, sql, params=None):
    return list(run_query(db, sql, params).rows)


def test_every_feed_article_is_loaded(demo_run):
    summary, db = demo_run
    pages = sorted(p.name for p in EXAMPLES_SITE.glob("*.html") if p.name != "index.html")
    assert summary.counts() == {"loaded": len(pages)}
    assert rows(db, "SELECT count(*) FROM articles") == [(len(pages),)]
    assert rows(db, "SELECT urls, outcomes->>'$.loaded' FROM runs") == [(len(pages), str(len(pages)))]


def test_seed_article_lands_with_its_metadata(demo_run):
    _, db = demo_run
    art = EXPECTED["article"]
    got = rows(db, """
        SELECT title, site_name, agency, dateline, language, published_at, updated_at
        FROM articles WHERE canonical_url = ?""", [art["canonical_url"]])
    published = datetime.fromisoformat(art["published_at"]).astimezone(timezone.utc)
    assert got == [(art["title"], art["site_name"], art["agency"], art["dateline"], art["language"],
                    published, published)]
    tags = rows(db, """
        SELECT t.kind, t.name FROM article_tags JOIN tags t USING (tag_id)
        JOIN articles a USING (article_id) WHERE a.canonical_url = ? AND t.kind = 'country'""",
                [art["canonical_url"]])
    assert tags == [("country", "Russia")]


def test_seed_quotes_and_speakers_read_back_with_sql(demo_run):
    _, db = demo_run
    got = rows(db, """
        SELECT speaker, speaker_as_written, role, cue, kind, quote FROM quotes_with_speakers
        WHERE canonical_url = ? ORDER BY paragraph, quote""", [EXPECTED["article"]["canonical_url"]])
    want = sorted(
        (q["speaker"], q["speaker_as_written"], q.get("speaker_role"), q["cue"], q["kind"], q["quote"])
        for q in EXPECTED["quotes"])
    assert sorted(got) == want


def test_rerun_skips_loaded_urls_and_refresh_asks_conditionally(prefect_harness, tmp_path):
    db = tmp_path / "rerun.duckdb"
    pages = sorted(p.name for p in EXAMPLES_SITE.glob("*.html") if p.name != "index.html")
    with serve_site(EXAMPLES_SITE) as base_url:
        feed = f"{base_url}/feed.xml"
        first = ingest(feeds=[feed], db_path=str(db), settings=FAST_RETRIES)
        articles = rows(db, "SELECT article_id, content_hash, title FROM articles ORDER BY 1")
        quotes = rows(db, "SELECT quote_id, speaker_id, quote FROM quotes ORDER BY 1")
        again = ingest(feeds=[feed], db_path=str(db), settings=FAST_RETRIES)
        refreshed = ingest(feeds=[feed], db_path=str(db), refresh=True, settings=FAST_RETRIES)
    assert first.counts() == {"loaded": len(pages)}
    # The second run reads the feed again, but its entries are already loaded: no page is fetched.
    assert again.counts() == {"duplicate": len(pages)}
    assert refreshed.counts() == {"not_modified": len(pages)}
    assert rows(db, "SELECT article_id, content_hash, title FROM articles ORDER BY 1") == articles
    assert rows(db, "SELECT quote_id, speaker_id, quote FROM quotes ORDER BY 1") == quotes
    page_fetches = """SELECT r.n, count(f.url) FILTER (WHERE f.url NOT LIKE '%feed.xml')
        FROM (SELECT run_id, row_number() OVER (ORDER BY started_at) AS n FROM runs) r
        LEFT JOIN fetches f USING (run_id) GROUP BY r.n ORDER BY r.n"""
    assert rows(db, page_fetches) == [(1, len(pages)), (2, 0), (3, len(pages))]


def test_a_site_is_ingested_through_the_sitemap_its_robots_txt_lists(prefect_harness, tmp_path):
    db = tmp_path / "site.duckdb"
    recent = ["valley-tribune-ap-faa-drone-rules", "meridian-arctic-sea-ice-thinning", "harbor-gazette-flood-barrier-vote"]
    with serve_site(EXAMPLES_SITE) as base_url:
        # since: the sitemap's entries last modified before 9 December 2021 are skipped
        summary = ingest(sites=[base_url + "/", "http://[oops/"], since=datetime(2021, 12, 9, tzinfo=timezone.utc),
                         db_path=str(db), settings=FAST_RETRIES)
    assert summary.outcomes == {**{f"{base_url}/{name}.html": "loaded" for name in recent}, "http://[oops/": "bad_url"}
    assert rows(db, "SELECT url, outcome FROM fetches WHERE url LIKE '%.xml'") == [(f"{base_url}/sitemap.xml", "fetched")]


def test_the_command_line_takes_sites(prefect_harness, tmp_path, capsys):
    db = tmp_path / "cli.duckdb"
    with serve_site(EXAMPLES_SITE) as base_url:
        assert main(["ingest", "--site", base_url + "/", "--db", str(db), "--allow-private-hosts"]) == 0
    pages = [p for p in EXAMPLES_SITE.glob("*.html") if p.name != "index.html"]
    assert rows(db, "SELECT count(*) FROM articles") == [(len(pages),)] and "loaded" in capsys.readouterr().out


def test_failures_are_recorded_and_transient_ones_retried(prefect_harness, tmp_path):
    page = (EXAMPLES_SITE / "devdiscourse-kremlin-putin-biden.html").read_bytes()
    routes = {"/flaky": fail_then(1, 503, html(page)), "/down": fail_then(99, 500, html(page)),
              "/pdf": lambda n: (200, {"Content-Type": "application/pdf"}, b"%PDF")}
    db = tmp_path / "w.duckdb"
    with local_server(routes) as server:
        urls = [server.base_url + p for p in ("/flaky", "/down", "/pdf", "/gone")]
        summary = ingest(urls=urls, db_path=str(db), settings=FAST_RETRIES)
    assert summary.outcomes == {urls[0]: "loaded", urls[1]: "http_error", urls[2]: "not_html", urls[3]: "http_error"}
    assert server.hits["/flaky"] == 2 and server.hits["/down"] == 4 and server.hits["/gone"] == 1
    assert rows(db, "SELECT url, outcome, attempts FROM fetches ORDER BY url") == sorted([
        (urls[0], "fetched", 2), (urls[1], "http_error", 4), (urls[2], "not_html", 1), (urls[3], "http_error", 1)])


def test_concurrent_runs_share_one_writer_slot_and_lose_nothing(prefect_harness, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from prefect import get_client

    from flows.runs import WRITER_LIMIT

    db = tmp_path / "shared.duckdb"
    pages = sorted(p.name for p in EXAMPLES_SITE.glob("*.html") if p.name != "index.html")
    with serve_site(EXAMPLES_SITE) as base_url, ThreadPoolExecutor(2) as pool:
        halves = [[f"{base_url}/{name}" for name in pages[i::2]] for i in (0, 1)]
        runs = list(pool.map(lambda urls: ingest(urls=urls, db_path=str(db), settings=FAST_RETRIES), halves))
    assert [run.counts() for run in runs] == [{"loaded": len(half)} for half in halves]
    assert rows(db, "SELECT count(*) FROM articles") == [(len(pages),)]
    with get_client(sync_client=True) as client:
        assert client.read_global_concurrency_limit_by_name(WRITER_LIMIT).limit == 1


@pytest.mark.slow
def test_ingest_on_a_local_dask_cluster(prefect_harness, tmp_path):
    from flows.runners import dask_runner

    db = tmp_path / "dask.duckdb"
    flow = ingest.with_options(task_runner=dask_runner(None, local_workers=2))
    with serve_site(EXAMPLES_SITE) as base_url:
        summary = flow(feeds=[f"{base_url}/feed.xml"], db_path=str(db), settings=FAST_RETRIES)
    pages = [p for p in EXAMPLES_SITE.glob("*.html") if p.name != "index.html"]
    assert summary.counts() == {"loaded": len(pages)}
    got = rows(db, "SELECT speaker FROM quotes_with_speakers WHERE quote LIKE 'This could be a way%'")
    assert got == [("Vladimir Putin",)]


def test_two_urls_of_one_article_load_once(prefect_harness, tmp_path):
    page = (EXAMPLES_SITE / "devdiscourse-kremlin-putin-biden.html").read_bytes()
    db = tmp_path / "dupes.duckdb"
    with local_server({"/a": html(page), "/amp/a": html(page)}) as server:
        urls = [server.base_url + "/a", server.base_url + "/amp/a"]
        summary = ingest(urls=urls, db_path=str(db), settings=FAST_RETRIES)
    assert sorted(summary.outcomes.values()) == ["duplicate", "loaded"]
    assert rows(db, "SELECT count(*), min(canonical_url) FROM articles") == [(1, EXPECTED["article"]["canonical_url"])]


@hypothesis_settings(max_examples=300, deadline=None)
@given(total=st.integers(0, 3000), size=st.integers(1, 400), first=st.integers(1, 100))
def test_ramped_batches_cover_everything_in_order_and_start_and_end_small(total, size, first):
    from flows.runs import ramped

    batches = list(ramped(list(range(total)), size, first))
    assert [i for batch in batches for i in batch] == list(range(total))
    assert all(0 < len(batch) <= size for batch in batches)
    if batches:   # the parse starts after `first` fetches (a few more rather than a tiny batch after)
        assert len(batches[0]) <= min(size, 2 * first - 1)
    if len(batches) > 1 and 2 * first <= size:   # no tiny batch, and the last one is small again
        assert min(len(b) for b in batches) >= first
        assert len(batches[-1]) <= max(len(batches[-2]), 2 * first - 1)
