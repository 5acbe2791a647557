"""The reprocess flow: parse the raw archive again, with no network, and reload the articles.

Runs when the extractor version changed (articles whose rows another version produced), or for
every article on request. The same batched parse and load as ingest; each article row then names
the extractor version that produced it.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows.runs import BatchPipeline, RunSummary, chunked, finish_run, start_run
from tasks.fetch import FetchResult
from tasks.extract import EXTRACTOR_VERSION
from tasks.settings import Settings
from warehouse.reparse import articles_to_reparse


@task(name="find-stale-articles", cache_policy=NO_CACHE)
def find_stale_articles(settings: Settings, everything: bool) -> list[tuple[str, str]]:
    return articles_to_reparse(settings.db_path, EXTRACTOR_VERSION, everything)


@flow(name="reprocess", log_prints=True)
def reprocess(db_path: str | None = None, everything: bool = False, settings: Settings | None = None) -> RunSummary:
    """Re-parses archived pages whose rows an older extractor produced (or all, with everything)."""
    settings = settings or Settings.from_env()
    if db_path:
        settings = replace(settings, db_path=Path(db_path))
    summary = start_run("reprocess", settings)
    stale = find_stale_articles(settings, everything)
    with BatchPipeline(settings, summary) as pipeline:
        for batch in chunked(stale, settings.parse_batch_size):
            # The parse reads each body from the raw archive, as for fetched pages; a body
            # missing from it makes that page parse_failed with the reason.
            pipeline.add([FetchResult(url, "fetched", final_url=url, content_hash=digest) for url, digest in batch])
    return finish_run(summary, [], settings)
