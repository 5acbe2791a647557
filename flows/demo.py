"""The README's demo: the bundled example site on 127.0.0.1, ingested into a DuckDB file."""
from __future__ import annotations

from pathlib import Path

from flows.ingest import ingest
from flows.report import print_summary
from flows.site_server import serve_site
from warehouse.queries import TOP_SPEAKERS_SQL, format_table, run_query


def run_demo(site: Path, db_path: Path) -> int:
    with serve_site(site) as base_url:
        print(f"serving {site} at {base_url}")
        # The example site is served on loopback, which ingest refuses unless told otherwise.
        summary = ingest(feeds=[f"{base_url}/feed.xml"], db_path=str(db_path), allow_private_hosts=True)
    print_summary(summary)
    print(f"\n{TOP_SPEAKERS_SQL}\n")
    print(format_table(run_query(db_path, TOP_SPEAKERS_SQL)))
    return 0 if "loaded" in summary.counts() else 1
