"""The ingest flow: discover -> fetch -> decode -> metadata -> text -> quotes -> load.

Fetches run concurrently on a thread pool (I/O bound); the fetch step itself keeps the global,
per-host and robots.txt limits and retries transient failures. Pages are parsed in batches as
soon as a batch's worth has arrived, so parsing overlaps the remaining fetches. Every URL ends
under exactly one outcome in the run summary, the runs table and the run's Prefect artifact.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, unmapped
from prefect.futures import as_completed

from flows.progress import RunProgress
from flows.runners import thread_runner
from flows.runs import BatchPipeline, RunSummary, fetch_row, finish_run, ramped, start_run
from tasks.discover import FEED_ACCEPT, Candidate, discover_candidates, read_url_file
from tasks.fetch import FetchResult, fetch_batch, fetch_page
from tasks.revisit import plan_fetches, validators_for
from tasks.settings import Settings
from tasks.sitemaps import discover_sitemaps, find_site_sitemaps
from warehouse.rows import FetchRow

# Feeds are fetched one task each on these threads; pages in batches (tasks.fetch.fetch_batch),
# each batch on threads of its own. The fetch step's global limit (Settings.fetch_workers) caps
# the requests in flight whatever the thread count.
FETCH_THREADS = 8
# Batches fetched ahead of the parsing: enough to keep the network busy while a batch is parsed.
FETCH_AHEAD = 2
# The first batch's size (then doubling up to Settings.parse_batch_size, and shrinking at the
# end: flows.runs.ramped): the parse workers start after 25 fetches rather than 200.
FIRST_BATCH = 25


@flow(name="ingest", task_runner=thread_runner(FETCH_THREADS), log_prints=True)
def ingest(urls: list[str] | None = None, urls_files: list[str] | None = None, feeds: list[str] | None = None,
           sitemaps: list[str] | None = None, sites: list[str] | None = None, since: datetime | None = None,
           refresh: bool = False, db_path: str | None = None, allow_private_hosts: bool = False,
           settings: Settings | None = None) -> RunSummary:
    """Fetches, parses and loads article URLs (given, or in files of one URL a line), the
    articles of RSS/Atom feeds and of sitemaps, given or listed in the robots.txt of `sites`
    (a site listing none: its /sitemap.xml).

    since: sitemap entries modified before it are skipped. refresh: URLs already loaded are
    fetched again (conditionally, with their stored ETag/Last-Modified); otherwise skipped.
    allow_private_hosts: fetch from loopback and private addresses too (an intranet, the demo
    site); otherwise they are refused, as a guard against server-side request forgery.
    """
    settings = run_settings(settings, db_path, allow_private_hosts)
    summary = start_run("ingest", settings)
    feed_fetches = fetch_feeds(list(feeds or []), settings)
    sitemap_urls = list(sitemaps or []) + site_sitemaps(list(sites or []), settings, summary)
    sitemap_entries, _, sitemap_fetches = discover_sitemaps(
        sitemap_urls, settings, since=since, validators=validators_for(sitemap_urls, settings))
    urls = list(urls or []) + [url for path in urls_files or [] for url in read_url_file(Path(path))]
    candidates, feed_results = discover_candidates(urls, feed_fetches, sitemap_entries)
    for result in feed_results:
        if result.status != "ok":
            summary.record(result.feed_url, f"feed_{result.status}", result.error)
    plan = plan_fetches(candidates, settings, refresh=refresh)
    for candidate in plan.already_loaded:
        summary.record(candidate.url, "duplicate", "already loaded; refresh fetches it again")
    page_fetches, page_rows = fetch_and_load(list(plan.to_fetch), list(plan.validators), settings, summary)
    rows = [fetch_row(f) for f in feed_fetches + sitemap_fetches] + page_rows
    return finish_run(summary, rows, settings,
                      remembered={"feed": feed_fetches, "sitemap": sitemap_fetches, "page": page_fetches})


def run_settings(settings: Settings | None, db_path: str | None, allow_private_hosts: bool) -> Settings:
    settings = settings or Settings.from_env()
    if db_path:
        settings = replace(settings, db_path=Path(db_path))
    if allow_private_hosts:
        settings = replace(settings, allow_private_hosts=True)
    return settings


def site_sitemaps(sites: list[str], settings: Settings, summary: RunSummary) -> list[str]:
    if not sites:
        return []
    found, refused = find_site_sitemaps(sites, settings)
    for site, error in refused:
        summary.record(site, "bad_url", error)
    return found


def fetch_feeds(feeds: list[str], settings: Settings) -> list[FetchResult]:
    """Feeds are fetched conditionally: an unchanged feed answers 304 and costs nothing."""
    stored = validators_for(feeds, settings)
    futures = fetch_page.map(feeds, unmapped(settings), accept=unmapped(FEED_ACCEPT),
                             validators=[stored.get(feed) for feed in feeds])
    return list(iter_results(futures))


def fetch_and_load(candidates: list[Candidate], validators: list, settings: Settings,
                   summary: RunSummary) -> tuple[list[FetchResult], list[FetchRow]]:
    """Fetches in batches, at most FETCH_AHEAD batches ahead of the parsing, and parses and loads
    each batch as it arrives. Returns the answers without their bodies (the raw archive keeps
    them) and their fetches rows, so memory holds a few batches, whatever the size of the run."""
    hints = {c.url: c.hints() for c in candidates}
    batches = list(ramped(list(zip([c.url for c in candidates], validators)), settings.parse_batch_size, FIRST_BATCH))
    progress = RunProgress(len(candidates), get_run_logger())
    pending: deque = deque()
    answered: list[FetchResult] = []
    rows: list[FetchRow] = []
    try:
        with BatchPipeline(settings, summary, hints) as pipeline:
            for number in range(len(batches) + FETCH_AHEAD):
                if number < len(batches):
                    urls, stored = zip(*batches[number])
                    pending.append(fetch_batch.submit(list(urls), settings, list(stored)))
                if len(pending) > FETCH_AHEAD or (number >= len(batches) and pending):
                    results = pending.popleft().result()   # bodies are in the raw archive
                    handle_batch(results, summary, progress, pipeline)
                    rows += [fetch_row(r) for r in results]
                    answered += results
    finally:
        progress.close()
    return answered, rows


def handle_batch(results: list[FetchResult], summary: RunSummary, progress: RunProgress,
                 pipeline: BatchPipeline) -> None:
    for result in results:
        progress.advance(result.outcome)
        if result.outcome != "fetched":
            summary.record(result.url, result.outcome, result.error)
    fetched = [r for r in results if r.outcome == "fetched"]
    if fetched:
        pipeline.add(fetched)


def iter_results(futures) -> Iterator[FetchResult]:
    """Results as they complete. The fetch step returns an outcome for every network condition;
    a fetch task that fails anyway is a bug, and it surfaces here."""
    for future in as_completed(list(futures)):
        yield future.result()
