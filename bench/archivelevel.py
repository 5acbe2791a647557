"""What each gzip level costs the raw archive (tasks/archive.py) on real news pages.

    .venv/bin/python bench/archivelevel.py [--pages ../shared/bench/extraction/zyte/html] [--runs 3]

Compresses every page at levels 1, 3, 6 and 9, as `store_body` does (gzip.compress, mtime=0),
and prints ms per page (median of the runs) and the archive's size as a share of the pages.
"""
from __future__ import annotations

import argparse
import gzip
import statistics
import time
from pathlib import Path

LEVELS = (1, 3, 6, 9)


def read_pages(folder: Path) -> list[bytes]:
    pages = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        body = path.read_bytes()
        pages.append(gzip.decompress(body) if path.suffix == ".gz" else body)
    return pages


def measure(pages: list[bytes], level: int, runs: int) -> tuple[float, float]:
    times, packed = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        packed = sum(len(gzip.compress(body, compresslevel=level, mtime=0)) for body in pages)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000 / len(pages), packed / sum(map(len, pages))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=Path(__file__).parents[1] / "../shared/bench/extraction/zyte/html")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    pages = read_pages(args.pages)
    print(f"{len(pages)} pages, {sum(map(len, pages)) / len(pages) / 1024:.0f} KiB on average")
    print("| gzip level | ms per page | archive / page |\n|---|---|---|")
    for level in LEVELS:
        ms, ratio = measure(pages, level, args.runs)
        print(f"| {level} | {ms:.2f} | {ratio:.3f} |")


if __name__ == "__main__":
    main()
