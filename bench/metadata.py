"""Metadata benchmark: date accuracy, title and author exact/lenient, pages per second.

    .venv/bin/python bench/metadata.py [--gold DIR] [--system pipeline|metadata|trafilatura] [--errors FILE]

--system pipeline     tasks.parse.parse_html (bytes -> ParsedPage), what `newsdesk parse` runs
--system metadata     decode + tasks.metadata.extract_metadata only
--system trafilatura  trafilatura.extract_metadata alone (the baseline)

The metric is tasks/evaluation/metadata.py (exactly ../shared/bench/README.md). Pages per
second count the whole prediction (decode + parse) on one core.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.evaluation.metadata import (  # noqa: E402
    MetadataPrediction,
    decode_bytes,
    load_metadata_gold,
    predict_page,
    score_metadata,
)

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "bench" / "metadata" / "trafilatura-dev"


def predict_trafilatura(html: bytes, url: str | None) -> MetadataPrediction:
    import trafilatura

    doc = trafilatura.extract_metadata(decode_bytes(html), default_url=url)
    if doc is None:
        return MetadataPrediction(None, (), None)
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    return MetadataPrediction(doc.title, authors, doc.date)


def predict_metadata_only(html: bytes, url: str | None) -> MetadataPrediction:
    from tasks.metadata import extract_metadata

    meta = extract_metadata(decode_bytes(html), url)
    return MetadataPrediction(meta.title, meta.authors, meta.published.value if meta.published else None)


SYSTEMS = {"pipeline": predict_page, "metadata": predict_metadata_only, "trafilatura": predict_trafilatura}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(DEFAULT_GOLD))
    parser.add_argument("--system", choices=sorted(SYSTEMS), default="pipeline")
    parser.add_argument("--errors", help="write per-page errors as JSON lines to this file")
    args = parser.parse_args()
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
