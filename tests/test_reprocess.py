"""Reprocess: the raw archive parsed again with no network; rows name the extractor version."""
from __future__ import annotations

import duckdb

from flows.ingest import ingest
from flows.reprocess import reprocess
from flows.site_server import serve_site
from tasks.extract import EXTRACTOR_VERSION
from tasks.settings import Settings
from tests.conftest import EXAMPLES_SITE
from warehouse.queries import run_query

SETTINGS = Settings(retry_delays_s=(0.05,), allow_private_hosts=True, per_host_delay_s=0.0)
SNAPSHOT = "SELECT article_id, title, text, published_at, extractor_version FROM articles ORDER BY 1"
QUOTES = "SELECT quote_id, speaker_id, quote, role FROM quotes ORDER BY 1"


def test_reprocess_reparses_stale_rows_from_the_archive_without_network(prefect_harness, tmp_path):
    db = tmp_path / "news.duckdb"
    with serve_site(EXAMPLES_SITE) as base_url:
        ingest(feeds=[f"{base_url}/feed.xml"], db_path=str(db), settings=SETTINGS)
    # The server is gone from here on: reprocess must not need the network.
    articles, quotes = run_query(db, SNAPSHOT).rows, run_query(db, QUOTES).rows
    assert {row[-1] for row in articles} == {EXTRACTOR_VERSION}

    nothing = reprocess(db_path=str(db), settings=SETTINGS)
    assert nothing.outcomes == {}

    con = duckdb.connect(str(db))
    con.execute("UPDATE articles SET extractor_version = 'older', title = 'stale' WHERE title LIKE 'Kremlin%'")
    con.close()
    summary = reprocess(db_path=str(db), settings=SETTINGS)
    assert summary.counts() == {"loaded": 1}
    assert run_query(db, SNAPSHOT).rows == articles
    assert run_query(db, QUOTES).rows == quotes

    everything = reprocess(db_path=str(db), everything=True, settings=SETTINGS)
    assert everything.counts() == {"loaded": len(articles)}
    assert run_query(db, SNAPSHOT).rows == articles
    assert run_query(db, "SELECT flow_name, urls FROM runs ORDER BY started_at").rows[-1] == ("reprocess", len(articles))
