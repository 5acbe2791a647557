"""ParsedPage -> warehouse rows, and the thin Prefect task that writes a batch.

The DuckDB file is opened only inside the task and only for the write, so an analyst's session
can hold it between loads; while it is held, warehouse.db.open_writer waits with backoff.
"""
from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.parse import ParsedPage
from tasks.settings import Settings
from warehouse.db import open_writer
from warehouse.loader import LoadCounts, load_articles, record_fetches, record_run
from warehouse.rows import ArticleRow, FetchRow, QuoteRow, RunRow


def article_row(page: ParsedPage, fetched_url: str) -> ArticleRow:
    meta = page.metadata
    published, updated = meta.published, meta.updated
    return ArticleRow(
        url=fetched_url,
        canonical_url=meta.canonical_url or fetched_url,
        title=meta.title, description=meta.description, site_name=meta.site_name,
        language=meta.language, text=page.text,
        published_iso=published.value if published else None,
        published_raw=published.raw if published else None,
        published_source=published.source if published else None,
        updated_iso=updated.value if updated else None,
        updated_raw=updated.raw if updated else None,
        updated_source=updated.source if updated else None,
        agency=meta.agency, dateline=meta.dateline, image=meta.image,
        content_hash=page.content_hash, extractor_version=page.extractor_version,
        authors=tuple(meta.authors),
        tags=tuple((tag.kind, tag.name) for tag in meta.tags),
        quotes=tuple(
            QuoteRow(q.quote, q.kind, q.cue, q.speaker, q.speaker_as_written, q.role,
                     q.start, q.end, q.paragraph, q.confidence)
            for q in page.quotes
        ),
    )


@task(name="load", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[5, 20])
def load_batch(pages: list[ParsedPage], fetched_urls: list[str], run_id: str, settings: Settings) -> LoadCounts:
    rows = [article_row(page, url) for page, url in zip(pages, fetched_urls) if page.status == "ok"]
    with open_writer(settings.db_path) as con:
        return load_articles(con, rows, run_id)


@task(name="record-run", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[5, 20])
def record_run_outcomes(fetches: list[FetchRow], run: RunRow, settings: Settings) -> None:
    with open_writer(settings.db_path) as con:
        record_fetches(con, fetches, run.run_id)
        record_run(con, run)
