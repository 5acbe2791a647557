"""The ingest flow: discover -> fetch -> decode -> metadata -> text -> quotes -> load.

Fetches run concurrently on a thread pool (I/O bound); pages are parsed in batches as soon as a
batch's worth has arrived, so parsing overlaps the remaining fetches. Every URL ends under exactly
one outcome in the run summary, the runs table and the run's Prefect artifact.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, unmapped
from prefect.futures import as_completed

from flows.progress import RunProgress
from flows.runners import thread_runner
from flows.runs import RunSummary, fetch_row, finish_run, parse_and_load
from tasks.discover import FEED_ACCEPT, Candidate, discover_candidates
from tasks.fetch import FetchResult, TransientFetchError, fetch_page
from tasks.settings import Settings
from warehouse.rows import FetchRow


@flow(name="ingest", task_runner=thread_runner(8), log_prints=True)
def ingest(urls: list[str] | None = None, feeds: list[str] | None = None,
           db_path: str | None = None, allow_private_hosts: bool = False,
           settings: Settings | None = None) -> RunSummary:
    """Fetches, parses and loads the given article URLs and the articles listed in the given feeds.

    allow_private_hosts lets the run fetch from loopback and private addresses (an intranet, the
    demo site); otherwise they are refused, as a guard against server-side request forgery.
    """
    settings = settings or Settings.from_env()
    if db_path:
        settings = replace(settings, db_path=Path(db_path))
    if allow_private_hosts:
        settings = replace(settings, allow_private_hosts=True)
    summary = RunSummary.start("ingest", settings)
    fetch = fetch_page.with_options(retries=settings.fetch_retries,
                                    retry_delay_seconds=list(settings.retry_delays_s))
    feeds = list(feeds or [])
    feed_fetches = list(_iter_results(fetch.map(feeds, unmapped(settings), accept=unmapped(FEED_ACCEPT)), feeds, settings))
    candidates, feed_results = discover_candidates(list(urls or []), feed_fetches)
    for result in feed_results:
        if result.status != "ok":
            summary.record(result.feed_url, f"feed_{result.status}", result.error)
    fetch_rows = [fetch_row(f) for f in feed_fetches]
    fetch_rows += _fetch_and_load(candidates, fetch, settings, summary)
    return finish_run(summary, fetch_rows, settings)


def _fetch_and_load(candidates: list[Candidate], fetch, settings: Settings, summary: RunSummary) -> list[FetchRow]:
    hints = {c.url: c.hints() for c in candidates}
    progress = RunProgress(len(candidates), get_run_logger())
    pending, rows = [], []
    try:
        futures = fetch.map([c.url for c in candidates], unmapped(settings))
        for result in _iter_results(futures, [c.url for c in candidates], settings):
            rows.append(fetch_row(result))
            progress.advance(result.outcome)
            if result.outcome != "fetched":
                summary.record(result.url, result.outcome, result.error)
                continue
            pending.append(result)
            if len(pending) >= settings.parse_batch_size:
                parse_and_load(pending, hints, settings, summary)
                pending = []
        if pending:
            parse_and_load(pending, hints, settings, summary)
    finally:
        progress.close()
    return rows


def _iter_results(futures, urls: list[str], settings: Settings):
    """Results as they complete; a fetch still failing after its retries gets its outcome here."""
    url_of = {future.task_run_id: url for future, url in zip(futures, urls)}
    for future in as_completed(list(futures)):
        result = future.result(raise_on_failure=False)
        if isinstance(result, FetchResult):
            yield result
        else:
            yield _failed_fetch(url_of[future.task_run_id], result, settings)


def _failed_fetch(url: str, error: BaseException, settings: Settings) -> FetchResult:
    if isinstance(error, TransientFetchError):
        outcome = "http_error" if error.http_status else "network_error"
        return FetchResult(url, outcome, http_status=error.http_status, error=str(error),
                           attempts=settings.fetch_retries + 1, fetched_at=datetime.now(timezone.utc))
    return FetchResult(url, "fetch_failed", error=f"{type(error).__name__}: {error}",
                       fetched_at=datetime.now(timezone.utc))
