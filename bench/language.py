"""The offline language detector (tasks.metadata.detect_language, CLD2) on pages that declare
their language: the declaration hidden, is the detected language the declared one?

    .venv/bin/python bench/language.py [--errors]

Pages: the trafilatura-dev metadata gold set and the Zyte extraction benchmark (read from
../shared/bench). The detector gets what the pipeline gives it on a page without a declaration
(`language_sample`: the body text the metadata step reads, else the <title>). The declaration
(<html lang>, og:locale, Content-Language, Dublin Core, JSON-LD inLanguage) is compared by its
primary subtag; pages whose sample is under 40 characters (where the detector abstains) are
counted apart. Time: CPU time of the detection calls alone, per page.
"""
from __future__ import annotations

import argparse
import gzip
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.meta_page import read_page  # noqa: E402
from tasks.metadata import declared_language, detect_language, language_sample, parse_tree  # noqa: E402
from tasks.parse import decode_body  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "bench"
SOURCES = {"trafilatura-dev": SHARED / "metadata" / "trafilatura-dev" / "html",
           "zyte": SHARED / "extraction" / "zyte" / "html"}


def samples(directory: Path):
    """(file, declared language, sample) of every page that declares one."""
    for path in sorted(directory.glob("*.gz")):
        tree = parse_tree(decode_body(gzip.decompress(path.read_bytes())))
        if tree is None:
            continue
        page = read_page(tree, None)
        declared = declared_language(page, [])
        if declared:
            yield path.name, declared, language_sample(page)


def measure(name: str, directory: Path, show_errors: bool) -> dict:
    counts, wrong, seconds = Counter(), Counter(), 0.0
    for file, declared, sample in samples(directory):
        started = time.process_time()
        detected = detect_language(sample, [])
        seconds += time.process_time() - started
        outcome = "abstained" if detected is None else "right" if detected == declared else "wrong"
        counts[outcome] += 1
        if outcome == "wrong":
            wrong[(declared, detected)] += 1
            if show_errors:
                print(f"  {name} {file}: declared {declared}, detected {detected}: {sample[:70]!r}")
    pages = sum(counts.values())
    decided = counts["right"] + counts["wrong"]
    return {"pages": name, "declaring": pages, **counts, "accuracy_where_decided": round(counts["right"] / decided, 4),
            "ms_per_page": round(seconds * 1000 / pages, 3), "confusions": wrong.most_common(8)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", action="store_true", help="list every page detected otherwise")
    args = parser.parse_args()
    for name, directory in SOURCES.items():
        print(measure(name, directory, args.errors))


if __name__ == "__main__":
    main()
