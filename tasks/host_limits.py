"""Per-host fetch limits that hold across flow runs: one Prefect global concurrency limit per host.

tasks/politeness.py keeps the limits of one process. Two runs at once (two `newsdesk ingest`,
or deployment runs on Prefect workers on several machines) each have their own, so a host could
see N times its limit. When a Prefect server is configured, every request therefore also holds
a slot of the limit `newsdesk-host:<host>[:<port>]` on that server, created on demand with
`per_host_concurrency` slots; all runs that talk to the server share it. The registry keeps
the slot until the host's delay (or robots.txt crawl-delay) has passed since the request started
(tasks/politeness.py `_hold_shared`), which carries the delay across processes too, with no
second limit and no second API call.

Only with a Prefect server (PREFECT_API_URL), for the reason tasks/writer.py gives for the writer
limit: an ad hoc run's ephemeral server lives and dies with its one process, where the
in-process registry already holds every limit; and it keeps slot leases in memory, so a run
killed while holding a slot would leave it taken for every later ad hoc run.

A slot is taken per request (not held over a retry's backoff) with direct lease calls
(tasks/leases.py) on the process's one Prefect client. Its lease covers one request and its rest
from the start (`lease_for`: about two minutes by default, renewed only when the waits before the
start used much of it), so the slot of a run killed while holding it comes free when the lease
runs out, with no renewal thread per slot. The registry hands a slot whose rest is over on to
the process's next request to the host, within a turn of a few seconds, instead of giving it
back and asking for it again (tasks/politeness.py `_pass_on`). A slot that does not come within
`host_limit_timeout_s` (another run holds the host that long, or the API does not answer) ends
the URL as `host_busy` (tasks/fetch.py) and the run moves on.
"""
from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from prefect.settings import PREFECT_API_URL

from tasks.leases import LEASE_MARGIN_S, MIN_LEASE_S, PrefectLimit
from tasks.settings import Settings

LIMIT_PREFIX = "newsdesk-host:"
# Prefect names may hold anything but / % & > <; we keep to what a host name is made of, so a
# name reads the same in the UI, the CLI and a URL. The bound keeps the names of long hosts short.
MAX_NAME_CHARS = 100
_UNSAFE = re.compile(r"[^a-z0-9.:_-]")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def uses_host_limits(settings: Settings) -> bool:
    """Only with a Prefect server; see the module's docstring for why not on an ephemeral one."""
    return settings.host_concurrency_limits and bool(PREFECT_API_URL.value())


def limit_name(url: str) -> str:
    """The host's limit name: host and port (no scheme: http and https of a host are one server;
    no credentials: the name shows in the UI), sanitised and bounded. A name changed by either
    ends in a digest of the host, so two hosts never share one limit by accident."""
    label = _host_label(url)
    clean = _UNSAFE.sub("_", label)
    name = LIMIT_PREFIX + clean
    if clean != label or not clean or len(name) > MAX_NAME_CHARS:
        digest = hashlib.sha256(label.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        name = name[:MAX_NAME_CHARS - len(digest) - 1] + "~" + digest
    return name


def _host_label(url: str) -> str:
    """host[:port], the port left out when it is the scheme's default."""
    try:
        parts = urlsplit(url)
    except ValueError:
        # A host that NFKC would turn into ':' or '/' (netguard refuses it as bad_url before any
        # request): it still gets a distinct name, from its raw authority.
        return url.split("//", 1)[-1].split("/", 1)[0].lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:   # a port out of range: the request will fail as bad_url anyway
        port = None
    return host if port in (None, _DEFAULT_PORTS.get(parts.scheme.lower())) else f"{host}:{port}"


def lease_for(settings: Settings) -> float:
    """How long one request and its rest can hold a slot, from its start: connect, a last read
    started just before the total deadline, the longest rest (politeness._hold_shared), and a
    margin. Prefect grants a minute at least."""
    request = settings.connect_timeout_s + settings.read_timeout_s + settings.total_timeout_s
    rest = max(settings.per_host_delay_s, settings.max_crawl_delay_s) * max(1, settings.per_host_concurrency)
    return max(MIN_LEASE_S, request + rest + LEASE_MARGIN_S)


def shared_limit_for(url: str, settings: Settings) -> PrefectLimit | None:
    """The host's shared limit, or None when the run has no Prefect server to share it on."""
    if not uses_host_limits(settings):
        return None
    return PrefectLimit(limit_name(url), max(1, settings.per_host_concurrency), settings.host_limit_timeout_s,
                        lease_for(settings))
