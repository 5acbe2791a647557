"""The backfill flow: article pages out of WARC/WARC.gz files (CC-NEWS and the like), filtered by
host and capture date, parsed and loaded like fetched pages. No network.

The file is streamed record by record and handled in parse batches, so a 1 GB archive is never
held in memory; every body also lands in the raw archive, so reprocess can parse it again.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows.ingest import run_settings
from flows.runs import BatchPipeline, RunSummary, chunked, fetch_row, finish_run, start_run
from tasks import archive
from tasks.fetch import FetchResult
from tasks.settings import Settings
from tasks.warc import WarcScan, iter_warc_pages, make_filter


@task(name="archive-bodies", cache_policy=NO_CACHE)
def archive_bodies(pages: list[FetchResult], settings: Settings) -> int:
    root = archive.archive_dir_of(settings)
    return len({archive.store_body(root, page.body) for page in pages})


@flow(name="backfill", log_prints=True)
def backfill(warc_paths: list[str], hosts: list[str] | None = None, since: datetime | None = None,
             until: datetime | None = None, db_path: str | None = None,
             settings: Settings | None = None) -> RunSummary:
    """Loads the HTML responses of the WARC files whose host is one of hosts (all when empty) and
    whose capture date lies in [since, until)."""
    settings = run_settings(settings, db_path, allow_private_hosts=False)
    summary = start_run("backfill", settings)
    wanted, rows = make_filter(hosts, since, until), []
    with BatchPipeline(settings, summary) as pipeline:
        for path in warc_paths:
            scan = WarcScan()
            pages = iter_warc_pages(Path(path), wanted, settings.max_body_bytes, scan)
            for batch in chunked(pages, settings.parse_batch_size):
                archive_bodies(batch, settings)
                # The parse reads the bodies back from the archive: keep only the records.
                pipeline.add([replace(page, body=b"") for page in batch])
                rows += [fetch_row(page) for page in batch]
            # Skipped records are counted, not listed: an archive holds far more than news pages.
            summary.uncounted.update({f"warc_skipped_{reason}": n for reason, n in scan.skipped.items()})
    return finish_run(summary, rows, settings)
