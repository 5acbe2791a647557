"""Metadata benchmark: date accuracy, title and author exact/lenient, pages per second.

    .venv/bin/python bench/metadata.py [--gold DIR] [--system pipeline|metadata|trafilatura] [--errors FILE]

--system pipeline     tasks.parse.parse_html (bytes -> ParsedPage), what `newsdesk parse` runs
--system metadata     decode + tasks.metadata.extract_metadata only
--system trafilatura  trafilatura.extract_metadata alone (the baseline)

    .venv/bin/python bench/metadata.py --speed 60 [--runs 3]

--speed N   cost of tasks.metadata.extract_metadata against a bare
            trafilatura.extract(html, include_comments=False) on the same pages, side by side in
            one process: the first N pages of the gold set and the first N of the Zyte
            extraction benchmark, CPU time per page (process time: the machine is shared). The
            first pass includes each library's one-off warm-up (models, locale tables); the
            steady figures are medians of --runs further passes.

The metric is tasks/evaluation/metadata.py (exactly ../shared/bench/README.md). Pages per
second count the whole prediction (decode + parse) on one core.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.parse import decode_body  # noqa: E402
from tasks.evaluation.metadata import (  # noqa: E402
    MetadataPrediction,
    load_metadata_gold,
    predict_page,
    score_metadata,
)

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "bench" / "metadata" / "trafilatura-dev"
ZYTE_HTML = Path(__file__).resolve().parents[2] / "shared" / "bench" / "extraction" / "zyte" / "html"


def predict_trafilatura(html: bytes, url: str | None) -> MetadataPrediction:
    import trafilatura

    doc = trafilatura.extract_metadata(decode_body(html), default_url=url)
    if doc is None:
        return MetadataPrediction(None, (), None)
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    return MetadataPrediction(doc.title, authors, doc.date)


def predict_metadata_only(html: bytes, url: str | None) -> MetadataPrediction:
    from tasks.metadata import extract_metadata

    meta = extract_metadata(decode_body(html), url)
    return MetadataPrediction(meta.title, meta.authors, meta.published.value if meta.published else None)


SYSTEMS = {"pipeline": predict_page, "metadata": predict_metadata_only, "trafilatura": predict_trafilatura}


def cpu_ms_per_page(run, pages: list[tuple[str, str | None]]) -> float:
    start = time.process_time()
    for html, url in pages:
        run(html, url)
    return (time.process_time() - start) / len(pages) * 1000


def measure_speed(gold_dir: str, count: int, runs: int) -> dict:
    """CPU ms per page of extract_metadata and of a bare trafilatura.extract, interleaved."""
    import trafilatura

    from tasks.metadata import extract_metadata

    gold = load_metadata_gold(gold_dir)[:count]
    pages = [(decode_body(gzip.decompress(g.html_path.read_bytes())), g.url or None) for g in gold]
    pages += [(decode_body(gzip.decompress(p.read_bytes())), None) for p in sorted(ZYTE_HTML.glob("*.html.gz"))[:count]]
    systems = {
        "trafilatura_extract": lambda html, url: trafilatura.extract(html, include_comments=False),
        "extract_metadata": lambda html, url: extract_metadata(html, url),
    }
    first = {name: cpu_ms_per_page(run, pages) for name, run in systems.items()}
    steady: dict[str, list[float]] = {name: [] for name in systems}
    for _ in range(runs):
        for name, run in systems.items():
            steady[name].append(cpu_ms_per_page(run, pages))
    median = {name: statistics.median(values) for name, values in steady.items()}
    return {
        "pages": len(pages),
        "first_pass_ms": {k: round(v, 2) for k, v in first.items()},
        "steady_ms": {k: round(v, 2) for k, v in median.items()},
        "ratio_first_pass": round(first["extract_metadata"] / first["trafilatura_extract"], 3),
        "ratio_steady": round(median["extract_metadata"] / median["trafilatura_extract"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(DEFAULT_GOLD))
    parser.add_argument("--system", choices=sorted(SYSTEMS), default="pipeline")
    parser.add_argument("--errors", help="write per-page errors as JSON lines to this file")
    parser.add_argument("--speed", type=int, metavar="N", help="cost against trafilatura.extract on 2N pages")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.speed:
        print(json.dumps(measure_speed(args.gold, args.speed, args.runs)))
        return
    gold = load_metadata_gold(args.gold)
    pages = [(g.file, gzip.decompress(g.html_path.read_bytes()), g.url or None) for g in gold]
    predict = SYSTEMS[args.system]
    start = time.perf_counter()
    predictions = {file: predict(html, url) for file, html, url in pages}
    elapsed = time.perf_counter() - start
    score = score_metadata(gold, predictions)
    result = {"system": args.system, "pages": len(pages), **score.as_dict(), "pages_per_second": round(len(pages) / elapsed, 1)}
    print(json.dumps(result))
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as out:
            for error in score.errors:
                out.write(json.dumps(error.__dict__, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
