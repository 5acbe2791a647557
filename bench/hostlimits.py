"""What the shared per-host limit (tasks/host_limits.py) costs per fetch, against a real Prefect server.

    .venv/bin/python bench/hostlimits.py [--fetches 200] [--hosts 20] [--threads 8]
    .venv/bin/python bench/hostlimits.py --contend [--pages 20] [--delay 0.2]

Starts a Prefect API server (prefect_test_harness: a subprocess on a temporary SQLite database,
PREFECT_API_URL pointed at it) and local HTTP servers on 127.0.0.2, 127.0.0.3, ... that answer
at once, so the time of a fetch is our own work and the limit's API calls. Measured, each with
the shared limit off (`host_concurrency_limits=False`) and on:

- sequential: `--fetches` fetches of one host on one thread; the difference per fetch is the
  API cost of one slot (acquire, lease, release) on an idle limit;
- parallel: `--fetches` fetches spread round robin over `--hosts` hosts on `--threads` threads;
- one host, parallel: `--fetches` fetches of one host on `--threads` threads (the in-process
  limit lets one at a time through; the shared slot is handed on between them);
- api calls per fetch (`tasks.leases.api_calls()`), for each case with the limit on;
- threads: how many threads the process has after touching the hosts (Prefect keeps a service
  per limit name).

No per-host delay and robots.txt off, so that only the limit is measured.

With --contend: two child processes (as two runs) fetch `--pages` pages each from one host with
`--delay` between requests, both started at once, first without and then with the shared limit;
printed per case: when each child finished, its outcomes, the most requests the host saw at once,
the shortest gap between two starts, and the limit's API calls of both runs per request the host
saw (the limit created, slots taken, renewed, given back, and the asks of a run that waits).
Shows how the two runs share the host (or do not).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newsdesk-bench-prefect-"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tasks.fetch import fetch_url  # noqa: E402
from tasks.leases import api_calls  # noqa: E402
from tasks.settings import Settings  # noqa: E402
from tests.local_server import html, local_server  # noqa: E402

PAGE = b"<!doctype html><html><body><p>bench</p></body></html>"
# A child run: tests/test_host_limits.py's, which fetches on 4 threads once told to go.
CHILD = "from tests.test_host_limits import fetch_in_child; fetch_in_child()"
BASE = Settings(allow_private_hosts=True, per_host_delay_s=0.0, obey_robots=False, fetch_workers=8,
                retry_delays_s=(0.05,), fetch_retries=1)


def timed_fetches(urls: list[str], settings: Settings, threads: int) -> tuple[float, list[str]]:
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        outcomes = [r.outcome for r in pool.map(lambda url: fetch_url(url, settings), urls)]
    return time.perf_counter() - started, outcomes


def measure(args) -> dict:
    routes = {"/p": html(PAGE)}
    report: dict = {"fetches": args.fetches, "hosts": args.hosts, "threads": args.threads}
    with ExitStack() as stack:
        servers = [stack.enter_context(local_server(routes, host=f"127.0.0.{2 + h}")) for h in range(args.hosts)]
        one_host = [servers[0].base_url + "/p"] * args.fetches
        spread = [servers[i % args.hosts].base_url + "/p" for i in range(args.fetches)]
        for mode, shared in (("off", False), ("on", True)):
            settings = replace(BASE, host_concurrency_limits=shared)
            timed_fetches(one_host[:5], settings, 1)   # warm: connections, the limit created
            timed_fetches(spread[:args.hosts], settings, args.threads)
            calls = api_calls()
            seconds, outcomes = timed_fetches(one_host, settings, 1)
            assert outcomes == ["fetched"] * args.fetches, set(outcomes)
            report[f"sequential_ms_per_fetch_{mode}"] = round(1000 * seconds / args.fetches, 2)
            report[f"sequential_api_calls_per_fetch_{mode}"] = round((api_calls() - calls) / args.fetches, 2)
            calls = api_calls()
            seconds, outcomes = timed_fetches(spread, settings, args.threads)
            assert outcomes == ["fetched"] * args.fetches, set(outcomes)
            report[f"parallel_fetches_per_s_{mode}"] = round(args.fetches / seconds, 1)
            report[f"parallel_api_calls_per_fetch_{mode}"] = round((api_calls() - calls) / args.fetches, 2)
            calls = api_calls()
            seconds, outcomes = timed_fetches(one_host, settings, args.threads)
            assert outcomes == ["fetched"] * args.fetches, set(outcomes)
            report[f"one_host_parallel_fetches_per_s_{mode}"] = round(args.fetches / seconds, 1)
            report[f"one_host_api_calls_per_fetch_{mode}"] = round((api_calls() - calls) / args.fetches, 2)
            report[f"threads_after_{mode}"] = threading.active_count()
        report["peak_per_host"] = max(s.max_active for s in servers)
    report["api_ms_per_fetch"] = round(report["sequential_ms_per_fetch_on"] - report["sequential_ms_per_fetch_off"], 2)
    return report


def contend(args) -> dict:
    from tests.local_server import starts
    from tests.reliability.cli import REPO, harness_api_url, newsdesk_env

    report: dict = {"pages_per_run": args.pages, "delay": args.delay}
    for case, shared in (("separate", False), ("shared", True)):
        with local_server({f"/p{i}": html(PAGE) for i in range(args.pages)}, latency_s=0.05) as server:
            urls = [f"{server.base_url}/p{i}" for i in range(args.pages)]
            arg = json.dumps({"urls": urls, "delay": args.delay, "shared": shared})
            children = [subprocess.Popen([sys.executable, "-c", CHILD, arg], cwd=REPO, text=True,
                                         env=newsdesk_env(api_url=harness_api_url()),
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE) for _ in range(2)]
            for child in children:
                assert child.stdout.readline().strip() == "ready"
            began = time.monotonic()
            for child in children:
                child.stdin.write("go\n")
                child.stdin.flush()
            finished: list = [None, None]

            def wait_for(i: int) -> None:
                out = children[i].communicate(timeout=600)[0].splitlines()
                finished[i] = (round(time.monotonic() - began, 2), Counter(json.loads(out[-1])),
                               json.loads(out[-2])["api_calls"])

            waiters = [threading.Thread(target=wait_for, args=(i,)) for i in range(2)]
            for waiter in waiters:
                waiter.start()
            for waiter in waiters:
                waiter.join()
            times = starts(server)
        gaps = [b - a for a, b in zip(times, times[1:])]
        report[case] = {"finished_s": [f[0] for f in finished], "outcomes": [dict(f[1]) for f in finished],
                        "peak_at_host": server.max_active, "min_gap_s": round(min(gaps), 3),
                        "api_calls_per_request": round(sum(f[2] for f in finished) / len(times), 2)}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fetches", type=int, default=200)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--contend", action="store_true")
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.2)
    args = parser.parse_args()
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        report = contend(args) if args.contend else measure(args)
    print(json.dumps(report))
    if not args.contend and report["peak_per_host"] > BASE.per_host_concurrency:
        sys.exit("a host saw more requests at once than its limit")


if __name__ == "__main__":
    main()
