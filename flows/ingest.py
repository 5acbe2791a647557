"""The ingest flow: discover -> fetch -> decode -> metadata -> text -> quotes -> load.

Fetches run concurrently on a thread pool (I/O bound); pages are parsed in batches as soon as a
batch's worth has arrived, so parsing overlaps the remaining fetches. Every URL ends under exactly
one outcome in the run summary, the runs table and the run's Prefect artifact.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from uuid import uuid4

from prefect import flow, get_run_logger, unmapped
from prefect.artifacts import create_markdown_artifact
from prefect.futures import as_completed
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from flows.progress import RunProgress
from tasks.discover import FEED_ACCEPT, Candidate, discover_candidates
from tasks.fetch import FetchResult, TransientFetchError, fetch_page
from tasks.load import load_batch, record_run_outcomes
from tasks.parse import ParsedPage, decode_batch, metadata_batch, quotes_batch, text_batch
from tasks.settings import Settings
from warehouse.rows import FetchRow, RunRow

PAGE_OUTCOMES = {"ok": "loaded", "no_text": "no_text", "binary": "not_html", "parse_failed": "parse_failed"}


@dataclass
class RunSummary:
    run_id: str
    db_path: str
    started_at: datetime
    finished_at: datetime | None = None
    outcomes: dict[str, str] = field(default_factory=dict)   # url -> outcome
    details: dict[str, str] = field(default_factory=dict)    # url -> error or note

    def counts(self) -> dict[str, int]:
        return dict(Counter(self.outcomes.values()).most_common())


@flow(name="ingest", task_runner=ThreadPoolTaskRunner(max_workers=8), log_prints=True)
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
    summary = RunSummary(run_id=str(flow_run.id or uuid4()), db_path=str(settings.db_path),
                         started_at=datetime.now(timezone.utc))
    fetch = fetch_page.with_options(retries=settings.fetch_retries,
                                    retry_delay_seconds=list(settings.retry_delays_s))
    feeds = list(feeds or [])
    feed_fetches = list(_iter_results(fetch.map(feeds, unmapped(settings), accept=unmapped(FEED_ACCEPT)), feeds, settings))
    candidates, feed_results = discover_candidates(list(urls or []), feed_fetches)
    for result in feed_results:
        if result.status != "ok":
            summary.outcomes[result.feed_url], summary.details[result.feed_url] = f"feed_{result.status}", result.error or ""
    fetch_rows = [_fetch_row(f) for f in feed_fetches]
    fetch_rows += _fetch_and_load(candidates, fetch, settings, summary)
    summary.finished_at = datetime.now(timezone.utc)
    record_run_outcomes(fetch_rows, _run_row(summary), settings)
    _publish(summary)
    return summary


def _fetch_and_load(candidates: list[Candidate], fetch, settings: Settings, summary: RunSummary) -> list[FetchRow]:
    hints = {c.url: c.hints() for c in candidates}
    progress = RunProgress(len(candidates), get_run_logger())
    pending, rows = [], []
    try:
        futures = fetch.map([c.url for c in candidates], unmapped(settings))
        for result in _iter_results(futures, [c.url for c in candidates], settings):
            rows.append(_fetch_row(result))
            progress.advance(result.outcome)
            if result.outcome != "fetched":
                summary.outcomes[result.url], summary.details[result.url] = result.outcome, result.error or ""
                continue
            pending.append(result)
            if len(pending) >= settings.parse_batch_size:
                _parse_and_load(pending, hints, settings, summary)
                pending = []
        if pending:
            _parse_and_load(pending, hints, settings, summary)
    finally:
        progress.close()
    return rows


def _parse_and_load(fetched: list[FetchResult], hints: dict, settings: Settings, summary: RunSummary) -> None:
    pages = decode_batch([(f.body, f.final_url or f.url, hints.get(f.url)) for f in fetched])
    pages = quotes_batch(text_batch(metadata_batch(pages)))
    state = load_batch(pages, [f.url for f in fetched], summary.run_id, settings, return_state=True)
    load_error = None if state.is_completed() else f"load failed: {state.message}"
    for result, page in zip(fetched, pages):
        outcome = PAGE_OUTCOMES.get(page.status, page.status)
        if load_error and outcome == "loaded":
            outcome, page = "load_failed", replace(page, error=load_error)
        summary.outcomes[result.url], summary.details[result.url] = outcome, page.error or ""


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


def _fetch_row(result: FetchResult) -> FetchRow:
    return FetchRow(
        url=result.url, final_url=result.final_url, outcome=result.outcome,
        http_status=result.http_status, content_type=result.content_type,
        bytes=len(result.body) if result.outcome == "fetched" else None,
        content_hash=result.content_hash, attempts=result.attempts, elapsed_ms=result.elapsed_ms,
        error=result.error, fetched_at=result.fetched_at or datetime.now(timezone.utc),
    )


def _run_row(summary: RunSummary) -> RunRow:
    return RunRow(summary.run_id, "ingest", summary.started_at, summary.finished_at,
                  len(summary.outcomes), summary.counts())


def _publish(summary: RunSummary) -> None:
    """Logs the counts and leaves a markdown artifact on the flow run for the Prefect UI."""
    logger = get_run_logger()
    logger.info("run %s: %s", summary.run_id, summary.counts())
    lines = ["| outcome | URLs |", "|---|---|"] + [f"| {k} | {v} |" for k, v in summary.counts().items()]
    failing = [(u, o, summary.details.get(u, "")) for u, o in summary.outcomes.items() if o != "loaded"]
    if failing:
        lines += ["", "| URL | outcome | detail |", "|---|---|---|"]
        lines += [f"| {u} | {o} | {d[:120]} |" for u, o, d in failing[:50]]
    create_markdown_artifact("\n".join(lines), key="ingest-summary", description="URLs per outcome")
