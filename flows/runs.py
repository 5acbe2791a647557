"""What every flow run shares: the run summary, parse-and-load of a batch, and finishing the run
(the runs and fetches rows, the log line and the markdown artifact)."""
from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from urllib.parse import urlsplit
from typing import TypeVar
from uuid import uuid4

from prefect import get_client, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.concurrency.sync import concurrency
# Raised by concurrency() but only defined in a private module of Prefect 3.9.
from prefect.concurrency._asyncio import ConcurrencySlotAcquisitionError
from prefect.runtime import flow_run
from prefect.settings import PREFECT_API_URL

from tasks import archive
from tasks.discover import resolve_canonical
from tasks.fetch import FetchResult
from tasks.revisit import remember_validators
from tasks.load import load_batch, load_staged_batches, record_run_outcomes
from tasks.parse import ParsedPage, decode_batch, metadata_batch, quotes_batch, text_batch
from tasks.settings import Settings
from warehouse.rows import FetchRow, RunRow

T = TypeVar("T")

# A Prefect global concurrency limit of one slot: loads from concurrent flow runs (on any worker
# that talks to the same Prefect server) queue for the DuckDB file instead of contending for its
# lock. warehouse.db.open_writer still waits for processes outside Prefect (an analyst's session).
WRITER_LIMIT = "newsdesk-warehouse-writer"

PAGE_OUTCOMES = {"duplicate": "duplicate", "ok": "loaded", "no_text": "no_text", "binary": "not_html", "parse_failed": "parse_failed"}


@dataclass
class RunSummary:
    run_id: str
    flow_name: str
    db_path: str
    started_at: datetime
    finished_at: datetime | None = None
    outcomes: dict[str, str] = field(default_factory=dict)   # url -> outcome
    details: dict[str, str] = field(default_factory=dict)    # url -> error or note
    step_seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    uncounted: Counter = field(default_factory=Counter)       # outcomes of things that are not URLs
    canonicals: set[str] = field(default_factory=set)         # articles parsed in this run
    retries: int = 0                                          # failed fetch attempts tried again

    def record(self, url: str, outcome: str, detail: str | None = None) -> None:
        self.outcomes[url], self.details[url] = outcome, detail or ""

    def counts(self) -> dict[str, int]:
        return dict((Counter(self.outcomes.values()) + self.uncounted).most_common())

    @contextmanager
    def timed(self, step: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.step_seconds[step] += time.perf_counter() - started


def parse_and_load(fetched: list[FetchResult], hints: Mapping[str, Mapping[str, str]],
                   settings: Settings, summary: RunSummary) -> None:
    """One batch through decode -> metadata -> text -> quotes -> load; every page gets its outcome."""
    # Submitted, not called: on a Dask task runner the parsing runs on the cluster's workers.
    with summary.timed("decode"):
        pages = decode_batch.submit([(f.content_hash, f.final_url or f.url, hints.get(f.url), f.charset)
                                     for f in fetched], archive.archive_dir_of(settings)).result()
    for step_name, step in (("metadata", metadata_batch), ("text", text_batch), ("quotes", quotes_batch)):
        with summary.timed(step_name):
            pages = step.submit(pages).result()
    pages = [drop_repeat(page, f.url, summary.canonicals) for page, f in zip(pages, fetched)]
    with summary.timed("load"), writer_slot(settings):
        state = load_batch(pages, [f.url for f in fetched], summary.run_id, settings, return_state=True)
    load_error = None if state.is_completed() else f"load failed: {state.message}"
    for result, page in zip(fetched, pages):
        outcome = PAGE_OUTCOMES.get(page.status, page.status)
        if load_error and outcome == "loaded":
            outcome, page = "load_failed", replace(page, error=load_error)
        summary.record(result.url, outcome, page.error)


def remember(settings: Settings, **fetches_by_kind: list[FetchResult]) -> None:
    """Stores the ETag/Last-Modified of what answered, for the next run's conditional GETs."""
    with writer_slot(settings):
        for kind, fetches in fetches_by_kind.items():
            remember_validators(fetches, kind, settings)


def start_run(flow_name: str, settings: Settings) -> RunSummary:
    """Starts a run's bookkeeping, then loads the batches an earlier run staged but did not load
    (it crashed, or the file was held too long), so that their pages are not fetched again."""
    ensure_writer_limit(settings)
    summary = RunSummary(str(flow_run.id or uuid4()), flow_name, str(settings.db_path), datetime.now(timezone.utc))
    with writer_slot(settings):
        recovered = load_staged_batches(settings)
    summary.uncounted["staged_batches_recovered"] = recovered.files
    return summary


def uses_writer_limit(settings: Settings) -> bool:
    """Only with a Prefect server (PREFECT_API_URL). An ad hoc run's ephemeral server lives and
    dies with its one process, where the limit protects nothing; and it keeps slot leases in
    memory, so a run killed holding the slot would leave it taken in PREFECT_HOME's database for
    every later ad hoc run (tests/reliability/test_crash_writer_slot.py)."""
    return settings.writer_concurrency_limit and bool(PREFECT_API_URL.value())


def ensure_writer_limit(settings: Settings) -> None:
    """Creates the writer limit on the Prefect server the run talks to, if it is not there yet."""
    if uses_writer_limit(settings):
        with get_client(sync_client=True) as client:
            client.upsert_global_concurrency_limit_by_name(WRITER_LIMIT, 1)


@contextmanager
def writer_slot(settings: Settings) -> Iterator[None]:
    """Holds the writer limit's slot for the block. A slot not had in time is logged and the
    write goes on: warehouse.db.open_writer still keeps writers apart through the file's lock."""
    with ExitStack() as stack:
        if uses_writer_limit(settings):
            try:
                # A short lease: the slot of a run killed while holding it frees itself soon.
                stack.enter_context(concurrency(WRITER_LIMIT, occupy=1, timeout_seconds=settings.writer_slot_timeout_s,
                                                lease_duration=60))
            except (TimeoutError, ConcurrencySlotAcquisitionError) as error:
                get_run_logger().warning("writer slot not acquired (%s); relying on the file lock", error)
        yield


def drop_repeat(page: ParsedPage, fetched_url: str, seen: set[str]) -> ParsedPage:
    """A second URL of the run that names the same canonical article is a duplicate, not a load."""
    if page.status != "ok" or page.metadata is None:
        return page
    canonical = resolve_canonical(fetched_url, page.metadata.canonical_url)
    if canonical in seen:
        return replace(page, status="duplicate", error=f"same article as {canonical}")
    seen.add(canonical)
    return page


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def fetch_row(result: FetchResult) -> FetchRow:
    return FetchRow(
        url=result.url, final_url=result.final_url, outcome=result.outcome,
        http_status=result.http_status, content_type=result.content_type,
        bytes=(result.size or len(result.body)) if result.outcome == "fetched" else None,
        content_hash=result.content_hash, attempts=result.attempts, elapsed_ms=result.elapsed_ms,
        error=result.error, fetched_at=result.fetched_at or datetime.now(timezone.utc),
    )


def finish_run(summary: RunSummary, fetch_rows: list[FetchRow], settings: Settings) -> RunSummary:
    """Writes the fetches and runs rows, logs the counts and publishes the run's artifact."""
    summary.finished_at = datetime.now(timezone.utc)
    # Not a URL outcome but part of the account: every failed attempt that was tried again.
    summary.retries = sum(max(row.attempts - 1, 0) for row in fetch_rows)
    run = RunRow(summary.run_id, summary.flow_name, summary.started_at, summary.finished_at,
                 len(summary.outcomes), summary.counts())
    with writer_slot(settings):
        record_run_outcomes(fetch_rows, run, settings)
    get_run_logger().info("run %s: %s, %d fetch retries", summary.run_id, summary.counts(), summary.retries)
    create_markdown_artifact(summary_markdown(summary, fetch_rows), key=f"{summary.flow_name}-summary",
                             description="URLs per outcome, time per step, slowest and failing sources")
    return summary


def summary_markdown(summary: RunSummary, fetch_rows: list[FetchRow]) -> str:
    lines = ["| outcome | URLs |", "|---|---|"] + [f"| {k} | {v} |" for k, v in summary.counts().items()]
    lines += ["", f"Fetch retries (failed attempts tried again): {summary.retries}"]
    lines += ["", "| step | seconds |", "|---|---|"]
    lines += [f"| {step} | {seconds:.2f} |" for step, seconds in summary.step_seconds.items()]
    lines += ["", "| source | fetches | failed | mean ms |", "|---|---|---|---|"]
    lines += [f"| {host} | {n} | {failed} | {ms:.0f} |" for host, n, failed, ms in source_health(fetch_rows)[:10]]
    failing = [(u, o, summary.details.get(u, "")) for u, o in summary.outcomes.items() if o != "loaded"]
    if failing:
        lines += ["", "| URL | outcome | detail |", "|---|---|---|"]
        lines += [f"| {u} | {o} | {d[:120]} |" for u, o, d in failing[:50]]
    return "\n".join(lines)


def source_health(rows: list[FetchRow]) -> list[tuple[str, int, int, float]]:
    """Per host: fetches, failures and mean time; failing, then slowest, first."""
    by_host: dict[str, list[FetchRow]] = defaultdict(list)
    for row in rows:
        by_host[urlsplit(row.url).hostname or "?"].append(row)
    stats = []
    for host, host_rows in by_host.items():
        times = [r.elapsed_ms for r in host_rows if r.elapsed_ms is not None]
        failed = sum(r.outcome not in ("fetched", "not_modified") for r in host_rows)
        stats.append((host, len(host_rows), failed, sum(times) / len(times) if times else 0.0))
    return sorted(stats, key=lambda s: (-s[2], -s[3]))
