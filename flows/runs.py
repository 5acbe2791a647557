"""What every flow run shares: the run summary, parse-and-load of a batch, and finishing the run
(the runs and fetches rows, the log line and the markdown artifact)."""
from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import TypeVar
from uuid import uuid4

from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run

from tasks import archive
from tasks.discover import resolve_canonical
from tasks.fetch import FetchResult
from tasks.load import load_batch, load_staged_batches, record_run_outcomes
from tasks.memory import fix_mmap_threshold
from tasks.parse import ParsedPage, parse_batch
from tasks.revisit import validator_rows_of
from tasks.settings import Settings
from tasks.stage import list_staged_batches, stage_dir_of
from tasks.urls import host_of
from tasks.writer import WRITER_LIMIT, ensure_writer_limit
from warehouse.rows import FetchRow, RunRow

T = TypeVar("T")

__all__ = ["WRITER_LIMIT", "BatchPipeline", "RunSummary", "finish_run", "start_run"]

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
            self.add_seconds(step, time.perf_counter() - started)

    def add_seconds(self, step: str, seconds: float) -> None:
        self.step_seconds[step] += seconds


@dataclass
class Loading:
    """A batch whose load is in flight."""
    fetched: list[FetchResult]
    pages: list[ParsedPage]
    submitted: float
    future: PrefectFuture | None = None
    finished: list[float] = field(default_factory=list)   # set by the future's done-callback


class BatchPipeline:
    """Parses fetched batches one after the other and loads the parsed pages while the next
    batches are parsed: the parse runs on worker processes (tasks/parse_pool.py), the load on a
    thread of the flow's task runner, at most one load in flight (there is one writer). Parsed
    pages are loaded once `parse_batch_size` of them are waiting (the small batches at the start
    and end of an ingest, flows.runs.ramped, share a load: each load opens the file and
    checkpoints it on closing), and the rest when the pipeline closes. Every page gets its outcome
    once its load has finished. Use it as a context manager: leaving loads the rest and waits."""

    def __init__(self, settings: Settings, summary: RunSummary, hints: Mapping[str, Mapping[str, str]] | None = None):
        self.settings, self.summary, self.hints = settings, summary, hints or {}
        self.loading: Loading | None = None
        self.unloaded: list[tuple[FetchResult, ParsedPage]] = []

    def __enter__(self) -> "BatchPipeline":
        return self

    def __exit__(self, error_type, *exc_info) -> None:
        if error_type is None:   # after an error the pages not loaded are fetched by a later run
            self.flush()
        self.finish_load()

    def add(self, fetched: list[FetchResult]) -> None:
        pages = self.parse(fetched)
        self.unloaded += [(f, drop_repeat(page, f.url, self.summary.canonicals)) for page, f in zip(pages, fetched)]
        if len(self.unloaded) >= self.settings.parse_batch_size:
            self.flush()

    def flush(self) -> None:
        """Loads the parsed pages that wait, after the load in flight."""
        if not self.unloaded:
            return
        (fetched, pages), self.unloaded = zip(*self.unloaded), []
        self.finish_load()
        loading = Loading(list(fetched), list(pages), time.perf_counter())
        loading.future = load_batch.submit(loading.pages, [f.url for f in fetched], self.summary.run_id, self.settings)
        # The load's own duration, not how long the flow waited for it (it waits after a parse).
        loading.future.add_done_callback(lambda _: loading.finished.append(time.perf_counter()))
        self.loading = loading

    def parse(self, fetched: list[FetchResult]) -> list[ParsedPage]:
        # Submitted, not called: on a Dask task runner the parsing runs on the cluster's workers.
        items = [(f.content_hash, f.final_url or f.url, self.hints.get(f.url), f.charset) for f in fetched]
        with self.summary.timed("parse"):
            batch = parse_batch.submit(items, archive.archive_dir_of(self.settings),
                                       self.settings.parse_processes).result()
        for step, seconds in batch.seconds.items():
            self.summary.add_seconds(step, seconds)
        return batch.pages

    def finish_load(self) -> None:
        if self.loading is None:
            return
        loading, self.loading = self.loading, None
        loading.future.wait()
        finished = loading.finished[0] if loading.finished else time.perf_counter()
        self.summary.add_seconds("load", finished - loading.submitted)
        state = loading.future.state
        load_error = None if state.is_completed() else f"load failed: {state.message}"
        for result, page in zip(loading.fetched, loading.pages):
            outcome = PAGE_OUTCOMES.get(page.status, page.status)
            if load_error and outcome == "loaded":
                outcome, page = "load_failed", replace(page, error=load_error)
            self.summary.record(result.url, outcome, page.error)


def start_run(flow_name: str, settings: Settings) -> RunSummary:
    """Starts a run's bookkeeping, then loads the batches an earlier run staged but did not load
    (it crashed, or the file was held too long), so that their pages are not fetched again."""
    fix_mmap_threshold()   # process-wide and idempotent: the run's large buffers are given back (tasks/memory.py)
    ensure_writer_limit(settings)
    summary = RunSummary(str(flow_run.id or uuid4()), flow_name, str(settings.db_path), datetime.now(timezone.utc))
    if list_staged_batches(stage_dir_of(settings)):   # looked at first: most runs find none
        summary.uncounted["staged_batches_recovered"] = load_staged_batches(settings).files
    return summary


def drop_repeat(page: ParsedPage, fetched_url: str, seen: set[str]) -> ParsedPage:
    """A second URL of the run that names the same canonical article is a duplicate, not a load."""
    if page.status != "ok" or page.metadata is None:
        return page
    canonical = resolve_canonical(fetched_url, page.metadata.canonical_url)
    if canonical in seen:
        return replace(page, status="duplicate", error=f"same article as {canonical}")
    seen.add(canonical)
    return page


def ramped(items: Sequence[T], size: int, first: int) -> Iterator[list[T]]:
    """Batches of at most `size` that start at `first` items and double, and towards the end
    shrink to half of what is left (not below `first`). The first batch is fetched soon, so the
    parse starts early instead of after a whole batch of fetches; the last is small, so little
    is left to parse and load after everything else has been fetched (docs/BENCHMARKS.md)."""
    start, step = 0, max(1, min(first, size))
    while start < len(items):
        left = len(items) - start
        count = min(step, size, max(first, -(-left // 2)))
        if left - count < first:   # no batch smaller than `first` at the end
            count = min(size, left)
        yield list(items[start:start + count])
        start += count
        step *= 2


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


def finish_run(summary: RunSummary, fetch_rows: list[FetchRow], settings: Settings,
               remembered: Mapping[str, list[FetchResult]] | None = None) -> RunSummary:
    """Writes the fetches and runs rows, and the ETag/Last-Modified of what answered (per kind:
    feed, sitemap, page) for the next run's conditional GETs; logs the counts and publishes the
    run's artifact."""
    summary.finished_at = datetime.now(timezone.utc)
    # Not a URL outcome but part of the account: every failed attempt that was tried again.
    summary.retries = sum(max(row.attempts - 1, 0) for row in fetch_rows)
    run = RunRow(summary.run_id, summary.flow_name, summary.started_at, summary.finished_at,
                 len(summary.outcomes), summary.counts())
    record_run_outcomes(fetch_rows, run, settings, validator_rows_of(**(remembered or {})))
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
        by_host[host_of(row.url) or "?"].append(row)
    stats = []
    for host, host_rows in by_host.items():
        times = [r.elapsed_ms for r in host_rows if r.elapsed_ms is not None]
        failed = sum(r.outcome not in ("fetched", "not_modified") for r in host_rows)
        stats.append((host, len(host_rows), failed, sum(times) / len(times) if times else 0.0))
    return sorted(stats, key=lambda s: (-s[2], -s[3]))
