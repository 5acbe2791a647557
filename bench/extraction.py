"""Main-text benchmark on the Zyte article-extraction set.

Scores trafilatura's usual settings and newsdesk's extractor with the metric of
tasks/evaluation/extraction.py (the Zyte benchmark's own) and times each one.

    .venv/bin/python bench/extraction.py [--gold ../shared/bench/extraction/zyte] [--runs 3]
        [--only ours,favor_precision] [--errors 20] [--dump preds.json]
    .venv/bin/python bench/extraction.py --only ours,ours_precision_first,ours_balanced_first,\
        ours_recall_first,ours_fast_only,ours_no_share_test,ours_no_tables
    .venv/bin/python bench/extraction.py --scan ../shared/bench/metadata/trafilatura-dev [--dump texts.json]

--scan runs newsdesk's extractor over a folder of pages (gold.json with {file: {url}} and
html/<file>[.gz], or the Zyte layout), counts the methods that produced the texts and lists the short lines that come out on two or more
sites: residue the cleanup rules miss shows up there.

Every variant gets the same decoded page (a str), on one core. Timing is paired: each page goes
through every variant in turn, --runs times, and counts CPU time of the running thread, so that
load from other processes on a shared machine distorts the figures as little as possible;
"pages/s" is pages per CPU second, "time ratio" a variant's CPU time over the first one's.
"""

from __future__ import annotations

import argparse
import gzip
from collections import Counter, defaultdict
from urllib.parse import urlparse
import json
import platform
import sys
import time
from pathlib import Path
from typing import Callable

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.parse import decode_body  # noqa: E402
from tasks.evaluation.extraction import (  # noqa: E402
    ExtractionScore,
    load_extraction_gold,
    score_extraction,
)
from tasks.extract import (  # noqa: E402
    EXTRACTOR_VERSION,
    BALANCED_OPTIONS,
    PASSES,
    PRECISION_OPTIONS,
    Pass,
    extract_text,
    extract_text_with,
)

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "bench" / "extraction" / "zyte"

VARIANTS: dict[str, Callable[[str, str], str]] = {
    "trafilatura_default": lambda html, url: trafilatura.extract(html, url=url) or "",
    "include_comments_false": lambda html, url: trafilatura.extract(html, url=url, include_comments=False)
    or "",
    "favor_precision": lambda html, url: trafilatura.extract(
        html, url=url, include_comments=False, favor_precision=True
    )
    or "",
    "ours": lambda html, url: extract_text(html, url).text,
}
# newsdesk's pipeline with other trafilatura passes (not run unless named in --only)
OPTION_VARIANTS: dict[str, Callable[[str, str], str]] = {
    "ours_precision_first": lambda html, url: extract_text_with(PASSES[1:], html, url).text,
    "ours_balanced_first": lambda html, url: extract_text_with((Pass(BALANCED_OPTIONS, "b"),), html, url).text,
    "ours_recall_first": lambda html, url: extract_text_with(
        (Pass({"include_comments": False, "favor_recall": True}, "r"),), html, url).text,
    "ours_fast_only": lambda html, url: extract_text_with(PASSES[:1], html, url).text,
    "ours_no_share_test": lambda html, url: extract_text_with(
        (PASSES[0], Pass(PRECISION_OPTIONS, "p", min_chars=500), PASSES[2]), html, url).text,
    "ours_no_tables": lambda html, url: extract_text_with(
        tuple(Pass({**p.options, "include_tables": False}, p.method, p.min_chars, p.min_page_share)
              for p in PASSES), html, url).text,
}


ALL_VARIANTS = {**VARIANTS, **OPTION_VARIANTS}


def run_paired(names: list[str], pages: list[tuple[str, str, str]], runs: int) -> tuple[dict, dict]:
    """Every page goes through every variant in turn (order rotated per page), so that load from
    other processes on a shared machine hits all variants alike, and the time counted is this
    thread's CPU time, not wall time. Returns predictions, CPU seconds per variant."""
    predictions: dict[str, dict] = {name: {} for name in names}
    seconds = dict.fromkeys(names, 0.0)
    for _ in range(runs):
        for index, (page_id, url, html) in enumerate(pages):
            shift = index % len(names)
            for name in names[shift:] + names[:shift]:
                start = time.thread_time()
                predictions[name][page_id] = ALL_VARIANTS[name](html, url)
                seconds[name] += time.thread_time() - start
    return predictions, seconds


def print_errors(score: ExtractionScore, count: int) -> None:
    worst = sorted(score.details, key=lambda p: (p.precision or 0) + (p.recall or 0))[:count]
    for page in worst:
        print(f"    {page.id[:12]} P={page.precision or 0:.3f} R={page.recall or 0:.3f} fp={page.fp} fn={page.fn}")


def scan_residue(folder: Path, top: int = 40, dump: Path | None = None) -> None:
    """Print extraction methods and the short lines repeated across sites; with dump, write the
    texts as JSON {file: text} too (two dumps compare the texts of two extractor versions)."""
    if (folder / "gold.json").exists():
        entries = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    else:  # the Zyte layout: ground-truth.json and html/<id>.html.gz
        truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
        entries = {f"{page_id}.html.gz": entry for page_id, entry in truth.items()}
    hosts_by_line: dict[str, set[str]] = defaultdict(set)
    methods: Counter = Counter()
    texts: dict[str, str] = {}
    for name, entry in sorted(entries.items()):
        path = folder / "html" / name
        if not path.exists():
            path = path.with_name(name + ".gz")
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        result = extract_text(decode_body(raw), entry.get("url"))
        methods[result.method] += 1
        texts[name] = result.text
        host = urlparse(entry.get("url") or "").netloc
        for line in result.text.split("\n"):
            if 0 < len(line) <= 120:
                hosts_by_line[line.casefold()].add(host)
    print(f"# {sum(methods.values())} pages; methods: {dict(methods)}")
    repeated = sorted(((len(h), line) for line, h in hosts_by_line.items() if len(h) >= 2), reverse=True)
    for count, line in repeated[:top]:
        print(f"{count:4d}  {line}")
    if dump:
        dump.write_text(json.dumps(texts, ensure_ascii=False, indent=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", default=",".join(VARIANTS))
    parser.add_argument("--errors", type=int, default=0, help="list the N worst pages per variant")
    parser.add_argument("--dump", type=Path, help="write the predictions of every variant as JSON")
    parser.add_argument("--scan", type=Path, help="list residue candidates on a folder without text gold")
    args = parser.parse_args()
    if args.scan:
        scan_residue(args.scan, dump=args.dump)
        return

    gold = load_extraction_gold(args.gold)
    pages = [(page.id, page.url, decode_body(page.html)) for page in gold]
    print(f"# {len(pages)} pages, python {platform.python_version()}, trafilatura {trafilatura.__version__}, "
          f"extractor {EXTRACTOR_VERSION}, {platform.processor() or platform.machine()}")
    print(f"{'variant':24s} {'precision':>9s} {'recall':>7s} {'F1':>7s} {'pages/s':>8s} {'time ratio':>10s}")
    names = args.only.split(",")
    predictions, seconds = run_paired(names, pages, args.runs)
    base = seconds[names[0]]
    for name in names:
        score = score_extraction(gold, predictions[name])
        speed = len(pages) * args.runs / seconds[name]
        print(f"{name:24s} {score.precision:9.4f} {score.recall:7.4f} {score.f1:7.4f} {speed:8.1f} "
              f"{seconds[name] / base:10.3f}")
        if args.errors:
            print_errors(score, args.errors)
    dump = predictions
    if args.dump:
        args.dump.write_text(json.dumps(dump, ensure_ascii=False))


if __name__ == "__main__":
    main()
