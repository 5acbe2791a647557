"""Memory of the parse pool on real pages: the fork server and each worker's private pages, with
the fork server's preload as shipped (tasks/parse_server.py: the parse steps and the language
detector, CLD2) and with the parse steps only (what-if).

    .venv/bin/python bench/parseworkers.py [--pages 120] [--rounds 3]

Each variant runs in a process of its own (the fork server's preload list is per process): a
pool of two workers started as tasks/parse_pool.py starts it (forkserver, gc.freeze in each
worker), then --rounds passes over the first --pages pages of the Zyte extraction benchmark
(read from ../shared/bench, real news pages, many without a declared language), each page
through tasks.parse_steps.parse_html. Printed after each pass: the fork server's RSS, each
worker's RSS and USS (the pages only it holds), and the distinct resident pages of the fork
server and workers together (bench/memory.py's measure).
"""
from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from memory import distinct_resident  # noqa: E402  (bench/memory.py, beside this file)

MB = 1024 * 1024
ZYTE_HTML = REPO.parent / "shared" / "bench" / "extraction" / "zyte" / "html"
PRELOADS = {"shipped": ["tasks.parse_server"], "without-detector": ["tasks.parse_steps"]}


def parse_statuses(pages: list[bytes]) -> list[str]:
    from tasks.parse_steps import parse_html

    return [parse_html(page, "https://news.example.com/article").status for page in pages]


def run_variant(variant: str, pages: int, rounds: int) -> None:
    import multiprocessing

    from tasks.parse_pool import split_even, start_worker

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOADS[variant])
    htmls = [gzip.decompress(path.read_bytes()) for path in sorted(ZYTE_HTML.glob("*.gz"))[:pages]]
    with ProcessPoolExecutor(2, mp_context=context, initializer=start_worker) as pool:
        for number in range(rounds):
            statuses = [s for chunk in pool.map(parse_statuses, split_even(htmls, 8)) for s in chunk]
            report(variant, number + 1, len(statuses))


def report(variant: str, number: int, parsed: int) -> None:
    kids = [k for k in psutil.Process().children(recursive=True) if "forkserver" in " ".join(k.cmdline())]
    server = min(kids, key=lambda k: k.create_time())
    workers = [k for k in kids if k.pid != server.pid]
    distinct = distinct_resident([k.pid for k in kids])
    per_worker = ", ".join(f"RSS {w.memory_info().rss / MB:.0f} / USS {w.memory_full_info().uss / MB:.0f}" for w in workers)
    print(f"{variant:14s} pass {number}: {parsed} pages; fork server RSS {server.memory_info().rss / MB:.0f} MB; "
          f"workers {per_worker} MB; fork server + workers distinct {distinct / MB:.0f} MB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variant", choices=sorted(PRELOADS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        return run_variant(args.variant, args.pages, args.rounds)
    for variant in PRELOADS:
        subprocess.run([sys.executable, __file__, "--variant", variant, "--pages", str(args.pages),
                        "--rounds", str(args.rounds)], check=True)


if __name__ == "__main__":
    main()
