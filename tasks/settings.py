"""One Settings object, built once by the caller (command line, deployment, test) and passed down.

Nothing here is read at import time: `Settings.from_env()` is called explicitly by entry points.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from warehouse.db import LockPolicy

DEFAULT_DB = Path("newsdesk.duckdb")
CONTACT_URL = "https://github.com/newsdesk/newsdesk"


def available_cores() -> int:
    """The cores this process may run on (a container's CPU set), not the machine's count."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    db_path: Path = DEFAULT_DB
    user_agent: str = f"newsdesk/0.1 (+{CONTACT_URL})"
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 20.0
    max_body_bytes: int = 10_000_000
    fetch_workers: int = 8
    fetch_retries: int = 3
    # Seconds before each retry; Prefect adds jitter so that failing hosts are not hit in step.
    retry_delays_s: tuple[float, ...] = (1.0, 4.0, 10.0)
    parse_batch_size: int = 200
    # Worker processes that parse each batch (tasks/parse_pool.py); 0 parses in the flow's thread.
    # One per core: on 2 cores, 2 workers beside the flow process gave 0.70 of a bare extract
    # loop where 1 gave 0.57 (docs/BENCHMARKS.md); fewer workers save a worker's memory each.
    parse_processes: int = field(default_factory=lambda: available_cores())
    # How long a write waits for a DuckDB file another process holds (an analyst's session):
    # attempts with doubling delays up to the maximum, about 2.5 minutes in all by default.
    writer_lock_attempts: int = 20
    writer_lock_max_delay_s: float = 10.0
    # Writes of concurrent flow runs queue on a one-slot Prefect global concurrency limit
    # (tasks/writer.py), when a Prefect server is configured; a slot not had within the timeout is
    # skipped, the file lock still holds.
    writer_concurrency_limit: bool = True
    writer_slot_timeout_s: float = 120.0
    # Where parsed batches wait for the load (docs/WAREHOUSE.md); None: "<db file>.staging/" beside it.
    stage_dir: Path | None = None
    # Fetching safely and politely (docs/FETCHING.md). Loopback/private hosts are refused unless
    # allowed explicitly (tests and the demo serve pages on 127.0.0.1).
    allow_private_hosts: bool = False
    total_timeout_s: float = 60.0          # one attempt, connect to last body byte
    max_redirects: int = 5
    max_retry_wait_s: float = 120.0        # a Retry-After longer than this is not waited for
    per_host_concurrency: int = 1
    per_host_delay_s: float = 1.0          # between request starts to one host
    max_crawl_delay_s: float = 30.0        # robots.txt Crawl-delay is honoured up to this
    # With a Prefect server, the per-host limits hold across runs too (tasks/host_limits.py); a
    # request whose host slot does not come within the timeout ends as `host_busy`.
    host_concurrency_limits: bool = True
    host_limit_timeout_s: float = 60.0
    obey_robots: bool = True
    robots_ttl_s: float = 3600.0
    # Raw bodies by sha256 (tasks/archive.py); None: "<db file>.archive/" beside it.
    archive_dir: Path | None = None
    # CIDRs allowed even when private hosts are refused (an intranet mirror, a test's one address).
    allowed_private_networks: tuple[str, ...] = ()
    # Who runs this crawler: when set, the user agent becomes "newsdesk/0.1 (+<contact_url>)".
    contact_url: str | None = None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        """NEWSDESK_DB and NEWSDESK_USER_AGENT override the defaults."""
        env = os.environ if environ is None else environ
        settings = cls()
        if env.get("NEWSDESK_DB"):
            settings = replace(settings, db_path=Path(env["NEWSDESK_DB"]))
        if env.get("NEWSDESK_USER_AGENT"):
            settings = replace(settings, user_agent=env["NEWSDESK_USER_AGENT"])
        return settings


def lock_policy(settings: Settings) -> LockPolicy:
    """How every writer of this run waits for the DuckDB file."""
    return LockPolicy(attempts=settings.writer_lock_attempts, max_delay_s=settings.writer_lock_max_delay_s)
