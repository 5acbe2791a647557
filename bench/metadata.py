"""Metadata benchmark: date accuracy, title and author exact/lenient, pages per second.

    .venv/bin/python bench/metadata.py [--gold DIR] [--system pipeline|metadata|trafilatura] [--errors FILE]

--system pipeline     tasks.parse.parse_html (bytes -> ParsedPage), what `newsdesk parse` runs
--system metadata     decode + tasks.metadata.extract_metadata only
--system trafilatura  trafilatura.extract_metadata alone (the baseline)

    .venv/bin/python bench/metadata.py --audit

--audit     the pages the metadata system gets wrong, sorted into classes by checks any reader can
            repeat (docs/METADATA.md, "Where the gold set and issue 4 disagree"): gold dates that
            are the page's updated date, or that no date written on the page has; gold titles that
            differ only in letter case or typography; gold authors that are organisations, agency
            credits, several names joined into one string, or names with roles kept.

    .venv/bin/python bench/metadata.py --speed 60 [--runs 3]
    .venv/bin/python bench/metadata.py --dump FILE

--dump FILE every field of extract_metadata (sources left out), one JSON line per page of the
            gold set and of the 181 Zyte pages: diff a dump before and after a change.

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


def page_days(html: str) -> set[str]:
    """Every calendar day written anywhere in the page's source (ISO, numeric or textual, both
    orders for ambiguous numeric dates)."""
    import re
    from datetime import datetime, timezone

    from tasks import meta_dates

    now = datetime.now(timezone.utc)
    days = set()
    for regex in (meta_dates.ISO_RE, meta_dates.YMD_RE, meta_dates.DMY_TEXT_RE, meta_dates.MDY_TEXT_RE, meta_dates.NUMERIC_RE):
        for m in regex.finditer(html):
            for first in (True, False):
                parsed = meta_dates.parse_date(m[0], now, first)
                if parsed:
                    days.add(parsed.value[:10])
    days.update(re.findall(r"(?:19|20)\d{2}-[01]\d-[0-3]\d", html))
    return days


def audit_date(gold: str, meta, html: str) -> str:
    import re

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", gold[:10]) or len(gold) < 10:
        return "gold value is not a valid date"
    if meta.updated and meta.updated.value[:10] == gold[:10]:
        return "gold is the page's updated date (we report it as updated)"
    if gold[:10] not in page_days(html):
        return "gold day is written nowhere in the page's source"
    return "other"


def audit_title(gold: str, predicted: str | None) -> str:
    import re

    predicted = predicted or ""
    if gold.strip() == gold.strip().upper() and gold.casefold().strip() == predicted.casefold().strip():
        return "gold in capitals (CSS text-transform), same words"
    if re.sub(r"\W+", "", gold.casefold()).replace("ss", "ß") == re.sub(r"\W+", "", predicted.casefold()).replace("ss", "ß"):
        return "gold differs in punctuation or typography only"
    return "other"


def audit_author(gold: str, predicted: tuple[str, ...], site_keys: tuple[str, ...]) -> str:
    import re

    from tasks import meta_authors

    names = [n.strip() for n in re.split(r"\s+(?:und|and|And|&)\s+|\s*[,;]\s*", gold) if n.strip()]
    if len(names) > 1 and tuple(names) == predicted:
        return "gold joins several people into one string"
    if gold.casefold().strip() == "; ".join(predicted).casefold():
        return "gold in other letter case (capitals or user name)"
    if meta_authors.find_agencies_in(gold) or any(meta_authors.is_initials(p) or p.islower() and len(p) <= 4 for p in re.split(r"\s*/\s*", gold)[1:]):
        return "gold is an agency credit (issue 4: agency, not author)"
    if " " not in gold.strip() and (gold.strip().islower() or re.search(r"\d|\w[._]\w", gold)):
        return "other"  # a user name: blogs and forums show them as the author, a fair convention
    compact = re.sub(r"\W+", "", gold.casefold())
    people, _ = meta_authors.parse_byline(gold)
    single_site = " " not in gold.strip() and any(k in compact for k in site_keys)
    if (not people and gold.strip()[:1].isupper()) or single_site:
        return "gold is the site or an organisation/team (issue 4: people only)"
    rest = gold
    for name in predicted:
        rest = rest.replace(name, " ")
    rest = re.sub(r"\b(?:und|and|And)\b|[,;&]", " ", rest).strip()
    if predicted and all(n in gold and len(n.split()) > 1 for n in predicted) and rest:
        return "gold keeps a role, affiliation or residue (issue 4: stripped)"
    return "other"


def run_audit(gold_dir: str) -> dict:
    """Classes of the remaining errors of decode + extract_metadata (see --audit)."""
    from collections import Counter
    from urllib.parse import urlsplit

    from tasks.metadata import extract_metadata

    classes: dict[str, Counter] = {"date": Counter(), "title": Counter(), "author": Counter()}
    for g in load_metadata_gold(gold_dir):
        html = decode_body(gzip.decompress(g.html_path.read_bytes()))
        meta = extract_metadata(html, g.url or None)
        prediction = MetadataPrediction(meta.title, meta.authors, meta.published.value if meta.published else None)
        errors = {e.field: e for e in score_metadata([g], {g.file: prediction}).errors}
        if "date" in errors:
            classes["date"][audit_date(g.date, meta, html)] += 1
        if "title" in errors:
            classes["title"][audit_title(g.title, meta.title)] += 1
        if "author" in errors:
            host = (urlsplit(g.url).hostname or "").removeprefix("www.").split(".")
            keys = tuple(k for k in {"".join(host[:-1]), host[0], (meta.site_name or "").casefold().replace(" ", "")} if len(k) >= 4)
            classes["author"][audit_author(g.author, meta.authors, keys)] += 1
    return {field: dict(counter.most_common()) for field, counter in classes.items()}


def dump_fields(gold_dir: str, path: str) -> None:
    """Every field of extract_metadata, one JSON line per page of the gold set and of the Zyte
    benchmark: diff two dumps (before/after a change) to read what changed on pages without gold."""
    import dataclasses

    from tasks.metadata import extract_metadata

    pages = [(g.file, g.html_path, g.url or None) for g in load_metadata_gold(gold_dir)]
    pages += [(p.name, p, None) for p in sorted(ZYTE_HTML.glob("*.html.gz"))]
    with open(path, "w", encoding="utf-8") as out:
        for name, html_path, url in pages:
            meta = extract_metadata(decode_body(gzip.decompress(html_path.read_bytes())), url)
            fields = {k: v for k, v in dataclasses.asdict(meta).items() if k != "sources"}
            out.write(json.dumps({"page": name, **fields}, ensure_ascii=False, default=str) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(DEFAULT_GOLD))
    parser.add_argument("--system", choices=sorted(SYSTEMS), default="pipeline")
    parser.add_argument("--errors", help="write per-page errors as JSON lines to this file")
    parser.add_argument("--speed", type=int, metavar="N", help="cost against trafilatura.extract on 2N pages")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--audit", action="store_true", help="sort the remaining errors into classes")
    parser.add_argument("--dump", metavar="FILE", help="write every field of extract_metadata for the gold and Zyte pages")
    args = parser.parse_args()
    if args.dump:
        dump_fields(args.gold, args.dump)
        return
    if args.audit:
        print(json.dumps(run_audit(args.gold), indent=1, ensure_ascii=False))
        return
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
