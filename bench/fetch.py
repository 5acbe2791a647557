"""Fetch throughput against local servers that add latency, spread over many host names.

    .venv/bin/python bench/fetch.py [--hosts 20] [--pages-per-host 20] [--latency 0.1]
                                    [--workers 8] [--per-host 1] [--delay 0.0] [--grouped]
                                    [--threads N]

One server per loopback address (127.0.0.2, 127.0.0.3, ...: the network is closed, 127.0.0.0/8 is
all there is), each answering every request after `--latency` seconds. The pages are fetched with
tasks.fetch.fetch_url on a pool of `--workers` threads, as the ingest flow does, with robots.txt
obeyed (one extra request per host). Prints pages/s against the ideal, which is
min(global limit, hosts x per-host limit) / latency (and, with a per-host delay, at most
hosts / max(delay, latency) ... whichever is lower), and the largest concurrency the servers
themselves observed, per host and overall.
"""
from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tasks.discover import Candidate, interleave_by_host  # noqa: E402
from tasks.fetch import fetch_url  # noqa: E402
from tasks.settings import Settings  # noqa: E402
from tests.local_server import html, local_server, max_overlap  # noqa: E402

PAGE = (Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "fetch" / "article-wire.html").read_bytes()


def ideal_rate(hosts: int, workers: int, per_host: int, latency: float, delay: float) -> float:
    by_slots = min(workers, hosts * per_host) / latency
    by_delay = hosts / delay if delay > latency / per_host else float("inf")
    return min(by_slots, by_delay)


def run(args) -> dict:
    settings = Settings(allow_private_hosts=True, fetch_workers=args.workers, per_host_concurrency=args.per_host,
                        per_host_delay_s=args.delay, retry_delays_s=(0.05,), fetch_retries=1)
    routes = {f"/story/{i}.html": html(PAGE) for i in range(args.pages_per_host)}
    with ExitStack() as stack:
        servers = [stack.enter_context(local_server(routes, host=f"127.0.0.{2 + h}", latency_s=args.latency))
                   for h in range(args.hosts)]
        grouped = [f"{s.base_url}/story/{i}.html" for s in servers for i in range(args.pages_per_host)]
        # The order discover_candidates hands to the flow (round robin over hosts), or, with
        # --grouped, one site after another as consecutive feeds would give them.
        urls = grouped if args.grouped else [c.url for c in interleave_by_host(Candidate(u, "bench") for u in grouped)]
        started = time.monotonic()
        with ThreadPoolExecutor(args.threads or args.workers) as pool:
            results = list(pool.map(lambda url: fetch_url(url, settings), urls))
        took = time.monotonic() - started
        intervals = [(start, end) for s in servers for _, start, end, _ in s.log]
        per_host_peak = max(s.max_active for s in servers)
    fetched = sum(r.outcome == "fetched" for r in results)
    ideal = ideal_rate(args.hosts, args.workers, args.per_host, args.latency, args.delay)
    return {"pages": len(urls), "fetched": fetched, "seconds": round(took, 2),
            "pages_per_s": round(fetched / took, 1), "ideal_per_s": round(ideal, 1),
            "of_ideal": round(fetched / took / ideal, 2), "requests_incl_robots": len(intervals),
            "max_per_host_seen": per_host_peak, "per_host_limit": args.per_host,
            "max_global_seen": max_overlap(intervals), "global_limit": args.workers,
            "threads": args.threads or args.workers}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--pages-per-host", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--per-host", type=int, default=1)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--grouped", action="store_true", help="URLs grouped by host, not interleaved")
    parser.add_argument("--threads", type=int, default=0,
                        help="fetch threads (default: as many as --workers, the global limit)")
    result = run(parser.parse_args())
    print(" ".join(f"{k}={v}" for k, v in result.items()))
    if result["max_per_host_seen"] > result["per_host_limit"] or result["max_global_seen"] > result["global_limit"]:
        raise SystemExit("a concurrency limit was exceeded")


if __name__ == "__main__":
    main()
