"""Main-text evaluation: the Zyte article-extraction benchmark's metric.

The metric is defined in ../shared/bench/README.md and reproduced here exactly so that figures
compare with published ones:

* tokens are the matches of the Unicode regex ``\\w+`` (case kept);
* shingles are the 4-grams of consecutive tokens; a text of 1 to 3 tokens is one shorter
  shingle; a text without tokens has none;
* per page, shingles are counted as multisets: tp = |pred ∩ truth|, fp = |pred − truth|,
  fn = |truth − pred|; precision = tp/(tp+fp), recall = tp/(tp+fn), both 1 when fp = fn = 0;
* overall precision is the mean page precision over pages whose prediction has shingles,
  overall recall the mean page recall over pages whose truth has shingles (an empty
  prediction scores recall 0 there); F1 is the harmonic mean of those two means.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

_TOKEN_RE = re.compile(r"\w+")
SHINGLE_SIZE = 4


@dataclass(frozen=True)
class GoldPage:
    id: str
    url: str
    html: bytes
    truth: str


@dataclass(frozen=True)
class PageScore:
    id: str
    tp: int
    fp: int
    fn: int
    precision: float | None  # None when the prediction is empty (left out of the mean)
    recall: float | None  # None when the truth is empty (left out of the mean)


@dataclass(frozen=True)
class ExtractionScore:
    precision: float
    recall: float
    f1: float
    pages: int
    details: tuple[PageScore, ...] = ()


def tokenize_text(text: str) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def count_shingles(text: str, size: int = SHINGLE_SIZE) -> Counter:
    tokens = tokenize_text(text)
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def score_page(page_id: str, truth: str, prediction: str) -> PageScore:
    truth_shingles = count_shingles(truth)
    pred_shingles = count_shingles(prediction)
    tp = sum((truth_shingles & pred_shingles).values())
    fp = sum((pred_shingles - truth_shingles).values())
    fn = sum((truth_shingles - pred_shingles).values())
    both_perfect = fp == 0 and fn == 0
    precision = None
    if pred_shingles:
        precision = 1.0 if both_perfect else tp / (tp + fp)
    recall = None
    if truth_shingles:
        recall = 1.0 if both_perfect else tp / (tp + fn)
    return PageScore(page_id, tp, fp, fn, precision, recall)


def combine_page_scores(pages: Iterable[PageScore], details: bool = True) -> ExtractionScore:
    pages = tuple(pages)
    precisions = [p.precision for p in pages if p.precision is not None]
    recalls = [p.recall for p in pages if p.recall is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ExtractionScore(precision, recall, f1, len(pages), pages if details else ())


def score_extraction(
    gold: Iterable[GoldPage] | Mapping[str, str],
    predictions: Mapping[str, str],
    details: bool = True,
) -> ExtractionScore:
    """Score predicted texts against gold texts; a page missing from predictions is empty."""
    truths = gold if isinstance(gold, Mapping) else {page.id: page.truth for page in gold}
    pages = [score_page(pid, truth, predictions.get(pid, "")) for pid, truth in truths.items()]
    return combine_page_scores(pages, details)


def load_extraction_gold(gold_dir: str | Path) -> tuple[GoldPage, ...]:
    """Read ground-truth.json ({id: {url, articleBody}}) and html/<id>.html.gz."""
    gold_dir = Path(gold_dir)
    truth = json.loads((gold_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        html = gzip.decompress((gold_dir / "html" / f"{page_id}.html.gz").read_bytes())
        entry = truth[page_id]
        pages.append(GoldPage(page_id, entry.get("url", ""), html, entry.get("articleBody") or ""))
    return tuple(pages)


def evaluate_extraction(gold_dir: str | Path, details: bool = False) -> ExtractionScore:
    from tasks.parse import parse_html   # the pipeline's own parse, so the figure is the pipeline's

    gold = load_extraction_gold(gold_dir)
    predictions = {page.id: parse_html(page.html, page.url).text for page in gold}
    return score_extraction(gold, predictions, details)
