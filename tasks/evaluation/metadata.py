"""Metadata evaluation: the title/author/date metrics of ../shared/bench/README.md, exactly.

* **Dates**: on pages whose gold date is not empty, compare the calendar day (YYYY-MM-DD) of
  the predicted publication date with the gold day: tp = same day, fp = a different day,
  fn = no date. Accuracy = tp / pages.
* **Title and author**: on pages with a non-empty gold value. Exact = equal after collapsing
  whitespace; authors are the predicted list joined with "; ". Lenient = casefold, punctuation
  removed (Unicode categories P*), whitespace collapsed; authors compared as sets of names,
  the gold string being split on ";" (the joiner the metric uses).

Pure functions; ``evaluate_metadata`` is the only one that reads files.
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping


@dataclass(frozen=True)
class MetadataGold:
    file: str
    url: str
    html_path: Path
    title: str  # "" = not annotated
    author: str
    date: str


@dataclass(frozen=True)
class MetadataPrediction:
    title: str | None
    authors: tuple[str, ...]
    date: str | None  # the publication date as extracted (ISO 8601, any precision)


@dataclass(frozen=True)
class PageError:
    file: str
    field: str  # "date" | "title" | "author"
    gold: str
    predicted: str | None  # None: nothing predicted


@dataclass(frozen=True)
class FieldScore:
    pages: int
    exact: int
    lenient: int

    @property
    def exact_rate(self) -> float:
        return self.exact / self.pages if self.pages else 0.0

    @property
    def lenient_rate(self) -> float:
        return self.lenient / self.pages if self.pages else 0.0


@dataclass(frozen=True)
class MetadataScore:
    date_pages: int
    date_tp: int
    date_fp: int
    date_fn: int
    title: FieldScore
    author: FieldScore
    errors: tuple[PageError, ...] = ()

    @property
    def date_accuracy(self) -> float:
        return self.date_tp / self.date_pages if self.date_pages else 0.0

    def as_dict(self) -> dict:
        return {
            "date_accuracy": round(self.date_accuracy, 4),
            "date_pages": self.date_pages, "date_tp": self.date_tp, "date_fp": self.date_fp, "date_fn": self.date_fn,
            "title_exact": round(self.title.exact_rate, 4), "title_lenient": round(self.title.lenient_rate, 4),
            "title_pages": self.title.pages,
            "author_exact": round(self.author.exact_rate, 4), "author_lenient": round(self.author.lenient_rate, 4),
            "author_pages": self.author.pages,
        }


def load_metadata_gold(gold_dir: str | Path) -> list[MetadataGold]:
    """gold.json plus the html/<file>.gz paths, in the file's order."""
    gold_dir = Path(gold_dir)
    entries = json.loads((gold_dir / "gold.json").read_text(encoding="utf-8"))
    return [
        MetadataGold(
            file=key,
            url=entry.get("url", ""),
            html_path=gold_dir / "html" / entry.get("file", key),
            title=as_text(entry.get("title")),
            author=as_text(entry.get("author")),
            date=as_text(entry.get("date")),
        )
        for key, entry in entries.items()
    ]


def as_text(value: str | list | None) -> str:
    """Gold values are strings; a few authors are lists, joined as the metric joins authors."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value or ""


def collapse(text: str) -> str:
    return " ".join(text.split())


def lenient(text: str) -> str:
    kept = "".join(ch for ch in text.casefold() if not unicodedata.category(ch).startswith("P"))
    return collapse(kept)


def author_set(names: Iterable[str]) -> frozenset[str]:
    return frozenset(n for n in (lenient(name) for name in names) if n)


def score_metadata(gold: list[MetadataGold], predictions: Mapping[str, MetadataPrediction]) -> MetadataScore:
    """Score predictions (keyed by gold file) against the gold; missing keys predict nothing."""
    empty = MetadataPrediction(None, (), None)
    errors: list[PageError] = []
    date_pages = tp = fp = fn = 0
    counts = {"title": [0, 0, 0], "author": [0, 0, 0]}
    for page in gold:
        pred = predictions.get(page.file, empty)
        if page.date:
            date_pages += 1
            day = (pred.date or "")[:10] or None
            if day is None:
                fn += 1
                errors.append(PageError(page.file, "date", page.date, None))
            elif day == page.date[:10]:
                tp += 1
            else:
                fp += 1
                errors.append(PageError(page.file, "date", page.date, day))
        if page.title:
            ok_exact, ok_lenient = match_title(page.title, pred.title)
            tally(counts["title"], ok_exact, ok_lenient)
            if not ok_exact:
                errors.append(PageError(page.file, "title", page.title, pred.title))
        if page.author:
            joined = "; ".join(pred.authors) if pred.authors else None
            ok_exact = joined is not None and collapse(joined) == collapse(page.author)
            ok_lenient = bool(pred.authors) and author_set(pred.authors) == author_set(page.author.split(";"))
            tally(counts["author"], ok_exact, ok_lenient)
            if not ok_exact:
                errors.append(PageError(page.file, "author", page.author, joined))
    return MetadataScore(
        date_pages, tp, fp, fn,
        FieldScore(*counts["title"]), FieldScore(*counts["author"]),
        tuple(errors),
    )


def match_title(gold: str, predicted: str | None) -> tuple[bool, bool]:
    if not predicted:
        return False, False
    return collapse(predicted) == collapse(gold), lenient(predicted) == lenient(gold)


def tally(counter: list[int], exact: bool, lenient_ok: bool) -> None:
    counter[0] += 1
    counter[1] += exact
    counter[2] += lenient_ok


def predict_page(html: bytes, url: str | None) -> MetadataPrediction:
    """Prediction through the pipeline's own parse (tasks.parse.parse_html)."""
    from tasks.parse import parse_html

    metadata = parse_html(html, url).metadata
    if metadata is None:
        return MetadataPrediction(None, (), None)
    published = metadata.published.value if metadata.published else None
    return MetadataPrediction(metadata.title, tuple(metadata.authors), published)


def evaluate_metadata(gold_dir: str | Path, details: bool = False) -> MetadataScore:
    """Score the pipeline on a gold folder (gold.json + html/*.gz)."""
    gold = load_metadata_gold(gold_dir)
    predictions = {page.file: predict_page(gzip.decompress(page.html_path.read_bytes()), page.url or None) for page in gold}
    score = score_metadata(gold, predictions)
    return score if details else MetadataScore(
        score.date_pages, score.date_tp, score.date_fp, score.date_fn, score.title, score.author
    )
