"""Reruns that do not hammer anyone: skip URLs already loaded, ask the rest conditionally.

Between tasks.fetch and warehouse.fetch_state: the flow asks `split_loaded` which candidates are
already in the warehouse (they become `duplicate`, not fetched, unless refresh is asked for),
`validators_for` which stored ETag/Last-Modified to send, and after the run `validator_rows_of`
what the servers answered, written with the run's record (tasks/load.py record_run_outcomes).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from tasks.fetch import FetchResult, Validators
from tasks.settings import Settings
from warehouse.fetch_state import ValidatorRow, loaded_urls, read_validators

C = TypeVar("C")   # anything with a .url: discover.Candidate, sitemaps entries


def split_loaded(candidates: Sequence[C], settings: Settings, refresh: bool = False) -> tuple[list[C], list[C]]:
    """(to fetch, already loaded); with refresh everything is fetched again (conditionally)."""
    if refresh:
        return list(candidates), []
    known = loaded_urls(settings.db_path, [c.url for c in candidates])
    return [c for c in candidates if c.url not in known], [c for c in candidates if c.url in known]


@dataclass(frozen=True)
class FetchPlan:
    """What a run fetches: the candidates to fetch, each with its stored validators (or None),
    and the candidates skipped because they are already loaded (outcome `duplicate`)."""
    to_fetch: tuple = ()
    validators: tuple[Validators | None, ...] = ()
    already_loaded: tuple = ()


def plan_fetches(candidates: Sequence[C], settings: Settings, refresh: bool = False) -> FetchPlan:
    """Without refresh: skip what is loaded, fetch the rest (new URLs have no validators).
    With refresh: fetch everything, conditionally where validators are stored."""
    fresh, loaded = split_loaded(candidates, settings, refresh)
    stored = validators_for([c.url for c in fresh], settings) if refresh else {}
    return FetchPlan(tuple(fresh), tuple(stored.get(c.url) for c in fresh), tuple(loaded))


def validators_for(urls: Sequence[str], settings: Settings) -> dict[str, Validators]:
    stored = read_validators(settings.db_path, urls)
    return {url: Validators(v.etag, v.last_modified) for url, v in stored.items()}


def validator_rows(results: Sequence[FetchResult], kind: str) -> list[ValidatorRow]:
    """Rows for the fetches that got an answer worth remembering (a body or a 304)."""
    return [
        ValidatorRow(url=r.url, kind=kind, etag=r.etag, last_modified=r.last_modified,
                     content_hash=r.content_hash, http_status=r.http_status,
                     checked_at=r.fetched_at, changed=r.outcome == "fetched")
        for r in results if r.outcome in ("fetched", "not_modified") and r.fetched_at is not None
    ]


def validator_rows_of(**fetches_by_kind: Sequence[FetchResult]) -> list[ValidatorRow]:
    """The rows of every kind at once (feed=..., sitemap=..., page=...), for one write at the end
    of a run: warehouse.fetch_state.save_validators in the transaction that records the run, so
    that a run opens the file once for both, and not at all for validators when none came back."""
    return [row for kind, fetches in fetches_by_kind.items() for row in validator_rows(fetches, kind)]
