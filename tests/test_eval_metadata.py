"""The metadata metric on tiny hand-made gold sets with known answers."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tasks.evaluation.metadata import (
    MetadataGold,
    MetadataPrediction,
    evaluate_metadata,
    load_metadata_gold,
    score_metadata,
)


def gold(file: str, title: str = "", author: str = "", date: str = "") -> MetadataGold:
    return MetadataGold(file, f"https://example.org/{file}", Path(file), title, author, date)


def test_date_counts_tp_fp_fn_by_calendar_day():
    golds = [gold("a", date="2021-12-08"), gold("b", date="2021-12-08"), gold("c", date="2021-12-08"), gold("d")]
    preds = {
        "a": MetadataPrediction(None, (), "2021-12-08T02:41:00+05:30"),  # same day as written
        "b": MetadataPrediction(None, (), "2021-12-07"),
        "d": MetadataPrediction(None, (), "2020-01-01"),  # no gold date: not counted
    }
    score = score_metadata(golds, preds)
    assert (score.date_pages, score.date_tp, score.date_fp, score.date_fn) == (3, 1, 1, 1)
    assert score.date_accuracy == pytest.approx(1 / 3)


def test_title_exact_collapses_whitespace_and_lenient_ignores_case_and_punctuation():
    golds = [gold("a", title="Kremlin says  Putin"), gold("b", title="Kremlin says Putin!"), gold("c", title="X y")]
    preds = {
        "a": MetadataPrediction("Kremlin says Putin", (), None),
        "b": MetadataPrediction("kremlin says putin", (), None),
        "c": MetadataPrediction(None, (), None),
    }
    score = score_metadata(golds, preds)
    assert (score.title.pages, score.title.exact, score.title.lenient) == (3, 1, 2)


def test_authors_exact_joins_with_semicolon_and_lenient_compares_sets():
    golds = [gold("a", author="Jane Doe; John Roe"), gold("b", author="Jane Doe; John Roe"),
             gold("c", author="Jane Doe"), gold("d", author="Ann Lee")]
    preds = {
        "a": MetadataPrediction(None, ("Jane Doe", "John Roe"), None),
        "b": MetadataPrediction(None, ("john roe", "Jane Doe."), None),
        "c": MetadataPrediction(None, ("Jane Doe", "John Roe"), None),
    }
    score = score_metadata(golds, preds)
    assert (score.author.pages, score.author.exact, score.author.lenient) == (4, 1, 2)
    wrong = {(e.file, e.field) for e in score.errors}
    assert wrong == {("b", "author"), ("c", "author"), ("d", "author")}


def test_errors_carry_gold_and_prediction():
    score = score_metadata([gold("a", title="T", date="2020-01-02")], {"a": MetadataPrediction("U", (), "2020-01-03")})
    assert {(e.field, e.gold, e.predicted) for e in score.errors} == {("title", "T", "U"), ("date", "2020-01-02", "2020-01-03")}


def test_load_and_evaluate_a_gold_folder(tmp_path: Path):
    (tmp_path / "html").mkdir()
    page = (
        '<html lang="en"><head><title>Big news today | Example</title>'
        '<meta property="article:published_time" content="2020-05-06T10:00:00+02:00">'
        '<meta name="author" content="Jane Doe"></head><body><h1>Big news today</h1>'
        "<p>Some paragraph of article text that is long enough to be the body of the page.</p></body></html>"
    )
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(page.encode("utf-8")))
    entries = {"p1.html": {"url": "https://example.org/p1", "file": "p1.html.gz", "title": "Big news today",
                           "author": ["Jane Doe"], "date": "2020-05-06"}}
    (tmp_path / "gold.json").write_text(json.dumps(entries), encoding="utf-8")
    loaded = load_metadata_gold(tmp_path)
    assert loaded[0].author == "Jane Doe" and loaded[0].html_path == tmp_path / "html" / "p1.html.gz"
    score = evaluate_metadata(tmp_path, details=True)
    assert (score.date_accuracy, score.title.exact_rate, score.author.exact_rate) == (1.0, 1.0, 1.0)
    assert score.errors == ()
