"""The Zyte main-text metric on tiny hand-made examples whose answers are worked out by hand."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tasks.evaluation.extraction import (
    ExtractionScore,
    GoldPage,
    count_shingles,
    evaluate_extraction,
    load_extraction_gold,
    score_extraction,
    score_page,
    tokenize_text,
)

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def test_tokens_are_unicode_word_runs_with_case_kept():
    assert tokenize_text("Hi, there! Café naïve -- U.S.-Russia 2021") == [
        "Hi", "there", "Café", "naïve", "U", "S", "Russia", "2021"]


def test_shingles_are_four_grams_and_short_texts_are_one_shingle():
    assert count_shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert count_shingles("a b c") == {("a", "b", "c"): 1}
    assert count_shingles("word") == {("word",): 1}
    assert count_shingles("") == {}
    assert count_shingles(" ... !! ") == {}


def test_identical_texts_score_one():
    page = score_page("p", "The cat sat on the mat.", "The cat sat on the mat!")
    assert (page.tp, page.fp, page.fn) == (3, 0, 0)
    assert page.precision == page.recall == 1.0


def test_shingles_are_counted_as_multisets():
    # truth has 5 shingles, "a b c d" twice; the prediction has it once
    page = score_page("p", "a b c d a b c d", "a b c d")
    assert (page.tp, page.fp, page.fn) == (1, 0, 4)
    assert page.precision == 1.0
    assert page.recall == pytest.approx(0.2)


def test_duplicated_prediction_counts_the_extra_copy_as_false_positive():
    page = score_page("p", "a b c d", "a b c d a b c d")
    assert (page.tp, page.fp, page.fn) == (1, 4, 0)
    assert page.precision == pytest.approx(0.2)
    assert page.recall == 1.0


def test_short_texts_match_only_as_a_whole():
    assert score_page("p", "Hello world", "Hello world").precision == 1.0
    page = score_page("p", "Hello world", "Hello there")
    assert (page.tp, page.fp, page.fn, page.precision, page.recall) == (0, 1, 1, 0.0, 0.0)
    # three tokens against four: different shingles, nothing in common
    page = score_page("p", "a b c", "a b c d")
    assert (page.tp, page.fp, page.fn) == (0, 1, 1)


def test_case_is_kept():
    assert score_page("p", "Hello World again now", "hello world again now").tp == 0


def test_empty_prediction_has_no_precision_and_zero_recall():
    page = score_page("p", "a b c d e", "")
    assert page.precision is None
    assert page.recall == 0.0


def test_empty_truth_has_no_recall_and_zero_precision():
    page = score_page("p", "", "a b c d e")
    assert page.precision == 0.0
    assert page.recall is None


def test_both_empty_are_left_out_of_both_means():
    page = score_page("p", "", "")
    assert page.precision is None and page.recall is None
    score = score_extraction({"a": "a b c d", "b": ""}, {"a": "a b c d", "b": ""})
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_f1_is_the_harmonic_mean_of_the_two_means_not_a_mean_of_page_f1s():
    truths = {"a": "a b c d e", "b": "p q r s t"}
    # page a: truth shingles abcd, bcde; prediction abcd -> P 1, R 0.5. Page b: empty -> R 0.
    score = score_extraction(truths, {"a": "a b c d"})
    assert score.precision == 1.0
    assert score.recall == pytest.approx(0.25)
    assert score.f1 == pytest.approx(2 * 1.0 * 0.25 / 1.25)
    assert score.pages == 2
    assert [page.id for page in score.details] == ["a", "b"]


def test_details_can_be_left_out():
    assert score_extraction({"a": "x y"}, {"a": "x y"}, details=False).details == ()


def test_gold_pages_are_accepted_as_well_as_a_mapping():
    gold = [GoldPage("a", "https://x.example/a", b"", "a b c d e")]
    assert score_extraction(gold, {"a": "a b c d e"}).f1 == 1.0


def write_gold(directory: Path, pages: dict[str, tuple[str, bytes, str]]) -> None:
    (directory / "html").mkdir()
    truth = {}
    for page_id, (url, html, body) in pages.items():
        (directory / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html))
        truth[page_id] = {"url": url, "articleBody": body}
    (directory / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")


def test_gold_is_read_from_ground_truth_and_gzipped_pages(tmp_path):
    write_gold(tmp_path, {"b": ("https://x.example/b", b"<html>b</html>", "Body B"),
                          "a": ("https://x.example/a", b"<html>a</html>", "Body A")})
    gold = load_extraction_gold(tmp_path)
    assert gold == (GoldPage("a", "https://x.example/a", b"<html>a</html>", "Body A"),
                    GoldPage("b", "https://x.example/b", b"<html>b</html>", "Body B"))


def test_evaluate_extraction_scores_the_seed_page(tmp_path):
    html = (FIXTURES / "devdiscourse-kremlin-putin-biden.html").read_bytes()
    body = (
        "The Kremlin said on Tuesday it expected no immediate breakthroughs in strained U.S.-Russia "
        "relations after President Vladimir Putin held virtual talks with Joe Biden on Tuesday but said "
        "the two leaders would keep engaging on practical matters."
    )
    write_gold(tmp_path, {"seed": ("https://www.devdiscourse.com/article/x", html, body)})
    score = evaluate_extraction(tmp_path, details=True)
    assert isinstance(score, ExtractionScore)
    assert score.recall == 1.0  # the whole first sentence is extracted
    assert 0.05 < score.precision < 0.5  # the prediction also holds the three other paragraphs
    assert len(score.details) == 1
    assert evaluate_extraction(tmp_path).details == ()
