"""Cost of the text step: newsdesk's extract_text against a bare trafilatura.extract.

    .venv/bin/python bench/textcost.py [--gold ../shared/bench/extraction/zyte] [--runs 3]
        [--profile 30] [--parts] [--limit N]

Pages are decoded with tasks.parse.decode_body and get the title and description that
tasks.metadata.extract_metadata finds, as in the ingest flow (tasks.parse_steps.add_text); the metadata
is computed once, before timing. Each run sends every page through both variants in turn (order
alternated per page) and counts the running thread's CPU time, so that load from other processes
on a shared machine distorts the figures as little as possible. Prints ms per page of each
variant per run, then the median of the runs and the ratio. --profile N prints the N costliest
functions of extract_text under cProfile (cumulative time) instead; --parts the CPU ms per page of
each part of extract_text (parse, page facts, thinning, trafilatura passes, our cleanup), median
of the runs.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.extract import EXTRACTOR_VERSION, PASSES, extract_text, parse_tree, run_passes, thin_tree  # noqa: E402
from tasks.extract_chunks import recover_chunks  # noqa: E402
from tasks.extract_rules import clean_lines, drop_link_lists, drop_residue, has_short_run, read_page  # noqa: E402
from tasks.metadata import extract_metadata  # noqa: E402
from tasks.parse import decode_body  # noqa: E402

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "bench" / "extraction" / "zyte"

# (url, html, title, description)
Page = tuple[str, str, str | None, str | None]


def load_pages(folder: Path, limit: int | None) -> list[Page]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, entry in sorted(truth.items())[:limit]:
        html = decode_body(gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes()))
        meta = extract_metadata(html, entry.get("url"))
        pages.append((entry.get("url"), html, meta.title, meta.description))
    return pages


def run_ours(page: Page) -> str:
    url, html, title, description = page
    return extract_text(html, url, title=title, description=description).text


def run_bare(page: Page) -> str:
    return trafilatura.extract(page[1]) or ""


VARIANTS: dict[str, Callable[[Page], str]] = {"extract_text": run_ours, "trafilatura.extract": run_bare}


def time_run(pages: list[Page]) -> dict[str, float]:
    """CPU milliseconds per page of every variant over one pass of the pages."""
    seconds = dict.fromkeys(VARIANTS, 0.0)
    names = list(VARIANTS)
    for index, page in enumerate(pages):
        for name in names[index % 2:] + names[:index % 2]:
            start = time.thread_time()
            VARIANTS[name](page)
            seconds[name] += time.thread_time() - start
    return {name: 1000 * value / len(pages) for name, value in seconds.items()}


def profile(pages: list[Page], top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for page in pages:
        run_ours(page)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def time_parts(pages: list[Page]) -> dict[str, float]:
    """CPU milliseconds per page of each part of extract_text, in the order extract_text_with
    runs them; "cleanup" is chunk recovery, residue, headline, standfirst and link lists."""
    seconds = dict.fromkeys(("parse", "read_page", "thin", "passes", "cleanup"), 0.0)
    for url, html, title, description in pages:
        marks = [time.thread_time()]
        tree = parse_tree(html)
        marks.append(time.thread_time())
        page = read_page(tree, title, description)
        marks.append(time.thread_time())
        thin_tree(tree)
        marks.append(time.thread_time())
        lines, _ = run_passes(html, tree, url, PASSES, page.paragraph_prose)
        marks.append(time.thread_time())
        before, after = recover_chunks(tree, lines)
        lines = clean_lines(drop_residue(before) + lines + drop_residue(after), page.headlines, page.standfirsts)
        if has_short_run(lines):
            drop_link_lists(lines, page.link_texts)
        marks.append(time.thread_time())
        for name, begin, end in zip(seconds, marks, marks[1:]):
            seconds[name] += end - begin
    return {name: 1000 * value / len(pages) for name, value in seconds.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--profile", type=int, metavar="N")
    parser.add_argument("--parts", action="store_true")
    args = parser.parse_args()
    pages = load_pages(args.gold, args.limit)
    if args.profile:
        profile(pages, args.profile)
        return
    if args.parts:
        runs = [time_parts(pages) for _ in range(args.runs)]
        print(f"# {len(pages)} pages, extractor {EXTRACTOR_VERSION}, CPU ms per page, median of {args.runs} runs")
        print("  ".join(f"{name} {statistics.median(run[name] for run in runs):.2f}" for name in runs[0]))
        return
    print(f"# {len(pages)} pages, trafilatura {trafilatura.__version__}, extractor {EXTRACTOR_VERSION}, "
          f"CPU ms per page")
    runs = []
    for number in range(1, args.runs + 1):
        runs.append(time_run(pages))
        print(f"run {number}: " + "  ".join(f"{name} {ms:6.2f}" for name, ms in runs[-1].items()))
    median = {name: statistics.median(run[name] for run in runs) for name in VARIANTS}
    ours, bare = median["extract_text"], median["trafilatura.extract"]
    print(f"median:  extract_text {ours:6.2f}  trafilatura.extract {bare:6.2f}  ratio {ours / bare:.3f}")


if __name__ == "__main__":
    main()
