"""The quote metric on tiny hand-made articles whose scores are known by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tasks.evaluation.quotes import (
    GoldArticle, GoldQuote, evaluate_quotes, lies_in_marks, load_quote_gold, same_speaker,
    score_quotes,
)
from tasks.quotes import Quote

TEXT = ('"We will win," Jane Roe said. "Count on it."\n\n'
        'The mayor called the plan "reckless" on Monday.\n\n'
        '"Nobody asked me," he said.')
# offsets:   "We will win,"  -> 1..13 ; "Count on it." -> 31..43 ; reckless -> 73..81 ; Nobody... -> 96..112


def span(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


def gold_quote(piece: str, speaker: str | None, kind: str = "direct", text: str = TEXT) -> GoldQuote:
    start, end = span(text, piece)
    return GoldQuote(piece, speaker, kind, start, end)


def pred(piece: str, speaker: str | None, kind: str = "direct", continues: bool = False,
         as_written: str | None = None, text: str = TEXT) -> Quote:
    start, end = span(text, piece)
    return Quote(piece, speaker, as_written or speaker, None, "said", kind, start, end, 0, 0.9, continues)


ARTICLE = GoldArticle("a1", TEXT, (
    GoldQuote("We will win, Count on it.", "Jane Roe", "direct", span(TEXT, "We will win,")[0],
              span(TEXT, "Count on it.")[1]),
    gold_quote("reckless", "The mayor", "partial"),
    gold_quote("Nobody asked me,", "he"),
))


def test_perfect_prediction_with_continuation():
    predicted = (pred("We will win,", "Jane Roe"), pred("Count on it.", "Jane Roe", continues=True),
                 pred("Nobody asked me,", "John Doe", as_written="he"))
    score = score_quotes([ARTICLE], [predicted])
    assert (score.gold, score.predicted, score.matched) == (2, 2, 2)
    assert score.precision == score.recall == score.f1 == 1.0
    # the pronoun gold speaker is not scored; Jane Roe is, and matches
    assert (score.speaker_scored, score.speaker_correct, score.speaker_accuracy) == (1, 1, 1.0)


def test_split_prediction_without_continuation_loses_one():
    # "We will win," alone covers 12 of the 42 gold characters: under half, so no match;
    # "Count on it." neither; both are false alarms
    predicted = (pred("We will win,", "Jane Roe"), pred("Count on it.", "Jane Roe"),
                 pred("Nobody asked me,", None, as_written="he"))
    score = score_quotes([ARTICLE], [predicted])
    assert (score.gold, score.predicted, score.matched) == (2, 3, 1)
    assert score.precision == pytest.approx(1 / 3)
    assert score.recall == pytest.approx(1 / 2)
    assert score.f1 == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    kinds = sorted(e.kind for e in score.articles[0].errors)
    assert kinds == ["missed", "spurious", "spurious"]
    assert score.spurious_on_partial_gold == 0


def test_false_alarm_on_a_gold_partial_is_counted_apart():
    text = '"We will win." She said the party was "ready."'
    gold = GoldArticle("a5", text, (GoldQuote('We will win." She said', "Ann Lee", "partial", 1, 22),))
    predicted = (Quote("We will win.", "Ann Lee", "Ann Lee", None, "said", "direct", 1, 13, 0, 0.9),)
    score = score_quotes([gold], [predicted])
    assert (score.gold, score.predicted, score.matched) == (0, 1, 0)
    assert score.spurious_on_partial_gold == 1
    assert [e.kind for e in score.articles[0].errors] == ["spurious_on_partial"]


def test_partial_predictions_lie_inside_marks_and_count():
    # README: precision = matched / predicted quotes that lie inside quotation marks; the
    # partial quote's span "reckless" does, so it is a (false) prediction whatever its kind
    predicted = (pred("We will win,", "Jane Roe"), pred("Count on it.", "Jane Roe", continues=True),
                 pred("reckless", "Jane Roe", kind="partial"))
    score = score_quotes([ARTICLE], [predicted])
    assert (score.predicted, score.matched) == (2, 1)
    assert score.precision == 0.5 and score.recall == 0.5
    assert score.spurious_partial_predictions == 1
    assert [e.kind for e in score.articles[0].errors if e.kind.startswith("spurious")] == ["spurious_partial"]
    # the diagnostic without newsdesk's partial quotes
    assert (score.predicted_direct_only, score.precision_direct_only) == (1, 1.0)


def test_partial_prediction_can_match_a_gold_direct_quote():
    text = 'Asked about the plan, the mayor called it "a disgrace." Nobody else spoke.'
    gold = GoldArticle("a6", text, (gold_quote("a disgrace.", "the mayor", text=text),))
    score = score_quotes([gold], [(pred("a disgrace.", None, kind="partial", text=text),)])
    assert (score.predicted, score.matched, score.precision, score.recall) == (1, 1, 1.0, 1.0)


def test_wrong_speaker_is_counted_and_listed():
    predicted = (pred("We will win,", "Jane Smith"), pred("Count on it.", "Jane Smith", continues=True))
    score = score_quotes([ARTICLE], [predicted])
    assert (score.speaker_scored, score.speaker_correct) == (1, 0)
    errors = [e for e in score.articles[0].errors if e.kind == "speaker"]
    assert errors[0].gold_speaker == "Jane Roe" and errors[0].predicted_speaker == "Jane Smith"


def test_unresolved_speaker_falls_back_to_as_written():
    quote = Quote("We will win,", None, "the mayor's spokesman Roe", None, "said", "direct",
                  *span(TEXT, "We will win,"), 0, 0.9)
    tail = pred("Count on it.", None, continues=True)
    score = score_quotes([ARTICLE], [(quote, tail)])
    assert score.speaker_correct == 1


def test_one_prediction_matches_one_gold():
    text = '"Yes," she said. "Yes," he said.'
    gold = GoldArticle("a2", text, (GoldQuote("Yes,", "Ann Lee", "direct", 1, 5),
                                    GoldQuote("Yes,", "Bo Chan", "direct", 18, 22)))
    big = Quote("Yes,", "Ann Lee", "Ann Lee", None, "said", "direct", 1, 5, 0, 0.9)
    score = score_quotes([gold], [(big,)])
    assert (score.matched, score.recall, score.precision) == (1, 0.5, 1.0)


def test_overlap_must_reach_half_the_gold_span():
    # the gold span covers 10 characters; a marked prediction of 5 reaches half, one of 4 does not
    half = '"abcde" said Al Bo.'
    less = '"abcd" said Al Bo..'
    five = Quote("abcde", "Al Bo", "Al Bo", None, "said", "direct", 1, 6, 0, 0.9)
    four = Quote("abcd", "Al Bo", "Al Bo", None, "said", "direct", 1, 5, 0, 0.9)
    gold_half = GoldArticle("a3", half, (GoldQuote(half[1:11], "Al Bo", "direct", 1, 11),))
    gold_less = GoldArticle("a3", less, (GoldQuote(less[1:11], "Al Bo", "direct", 1, 11),))
    assert score_quotes([gold_half], [(five,)]).matched == 1
    assert score_quotes([gold_less], [(four,)]).matched == 0


def test_prediction_outside_marks_is_not_counted():
    text = 'He said we will win. "Sure," she said.'
    gold = GoldArticle("a4", text, (GoldQuote("Sure,", "Ann Lee", "direct", 22, 27),))
    outside = Quote("we will win", "Al Bo", "He", None, "said", "direct", 8, 19, 0, 0.9)
    score = score_quotes([gold], [(outside,)])
    assert score.predicted == 0 and score.recall == 0.0
    assert not lies_in_marks(text, 8, 19) and lies_in_marks(text, 22, 27)


@pytest.mark.parametrize("gold_span, predicted, expected", [
    ("Kremlin aide Yuri Ushakov", "Yuri Ushakov", True),
    ("Mr. Trump", "Donald J. Trump", True),
    ("Ms. Merkel's spokesman, Steffen Seibert,", "Steffen Seibert", True),
    ("Ms. Merkel's spokesman, Steffen Seibert,", "Angela Merkel", True),  # last-name rule as defined
    ("Trump", "Ivanka Trump", True),
    ("Clinton", "Bernie Sanders", False),
    ("Sammy Davis Jr.", "Sammy Davis Jr.", True),
    ("Trump", None, False),
])
def test_same_speaker_by_last_name(gold_span, predicted, expected):
    assert same_speaker(gold_span, predicted) is expected


def test_load_and_evaluate_round_trip(tmp_path: Path):
    text = '"Prices will keep rising," Claudia Reyes said.'
    row = {"id": "x1", "text": text, "quotes": [
        {"quote": "Prices will keep rising,", "speaker": "Claudia Reyes", "kind": "direct",
         "start": 1, "end": 25},
        {"quote": "reported", "speaker": "", "kind": "indirect", "start": 0, "end": 3},
    ]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    articles = load_quote_gold(path)
    assert len(articles) == 1 and len(articles[0].quotes) == 2
    score = evaluate_quotes(path, details=True)
    assert (score.gold, score.matched, score.speaker_correct) == (1, 1, 1)
    assert evaluate_quotes(path).articles == ()


def test_mismatched_lengths_raise():
    with pytest.raises(ValueError):
        score_quotes([ARTICLE], [])


def test_prediction_outside_marks_counts_for_recall_not_for_precision():
    text = 'Ann Lee said: we will win, "and soon."'
    gold = GoldArticle("a7", text, (GoldQuote("we will win, and soon.", "Ann Lee", "direct", 14, 37),))
    outside = Quote("we will win, \"and soon", "Ann Lee", "Ann Lee", None, "said", "direct", 14, 35, 0, 0.9)
    inside = Quote("and soon.", "Ann Lee", "Ann Lee", None, "said", "direct", 28, 37, 0, 0.9)
    score = score_quotes([gold], [(outside,)])
    assert (score.predicted, score.matched, score.recall, score.precision) == (0, 1, 1.0, 0.0)
    score = score_quotes([gold], [(inside,)])
    assert (score.predicted, score.matched) == (1, 0)  # 9 of 23 characters: under half


def test_partial_prediction_is_scored_on_its_content_span():
    # newsdesk's partial quote: the quoted words "reckless", and the reported clause around them
    # as content span; the clause does not lie inside marks, so it is not in precision (the
    # README derives kind from the marks the same way for the gold)
    text = 'The mayor said the plan was "reckless" and would fail. "We will win," Jane Roe said.'
    gold = GoldArticle("a8", text, (gold_quote("We will win,", "Jane Roe", text=text),
                                    GoldQuote("the plan was \"reckless\" and would fail", "The mayor", "partial",
                                              *span(text, 'the plan was "reckless" and would fail'))))
    words = span(text, "reckless")
    clause = span(text, 'the plan was "reckless" and would fail')
    partial = Quote("reckless", "The mayor", "The mayor", None, "said", "partial", *words, 0, 0.7,
                    content_start=clause[0], content_end=clause[1])
    direct = pred("We will win,", "Jane Roe", text=text)
    score = score_quotes([gold], [(partial, direct)])
    assert (score.predicted, score.matched, score.precision, score.recall) == (1, 1, 1.0, 1.0)
    assert not [e for e in score.articles[0].errors if e.kind.startswith("spurious")]
    # without its content span the same Quote is a false alarm: its words lie inside marks
    bare = Quote("reckless", "The mayor", "The mayor", None, "said", "partial", *words, 0, 0.7)
    score = score_quotes([gold], [(bare, direct)])
    assert (score.predicted, score.precision) == (2, 0.5)


def test_partial_content_span_can_match_a_gold_direct_quote_for_recall_only():
    text = 'Asked about the plan, the mayor called it "a disgrace." Nobody else spoke.'
    gold = GoldArticle("a9", text, (gold_quote("a disgrace.", "the mayor", text=text),))
    clause = span(text, 'it "a disgrace."')
    quote = Quote("a disgrace.", None, "the mayor", None, "called", "partial", *span(text, "a disgrace."),
                  0, 0.7, content_start=clause[0], content_end=clause[1])
    score = score_quotes([gold], [(quote,)])
    assert (score.predicted, score.matched, score.matched_predicted, score.recall) == (0, 1, 0, 1.0)
    assert score.matched_unmarked == 1


def test_indirect_scoring_uses_gold_indirect_quotes_only():
    from tasks.evaluation.quotes import score_indirect

    text = 'Ann Lee said the plan would fail. "No," Bo Chan said. Bo Chan said prices will rise.'
    gold = GoldArticle("a10", text, (
        gold_quote("the plan would fail", "Ann Lee", "indirect", text=text),
        gold_quote("No,", "Bo Chan", text=text),
        gold_quote("prices will rise", "Bo Chan", "indirect", text=text),
    ))
    hit = Quote("the plan would fail", "Ann Lee", "Ann Lee", None, "said", "indirect",
                *span(text, "the plan would fail"), 0, 0.6)
    wrong = Quote("Bo Chan said", "Ann Lee", "Ann Lee", None, "said", "indirect", *span(text, "Bo Chan said"), 0, 0.6)
    direct = pred("No,", "Bo Chan", text=text)  # not an indirect prediction: ignored
    score = score_indirect([gold], [(hit, wrong, direct)])
    assert (score.gold, score.predicted, score.matched) == (2, 2, 1)
    assert (score.precision, score.recall, score.speaker_accuracy) == (0.5, 0.5, 1.0)


def test_utterance_continued_by_a_partial_quote_is_not_inside_marks():
    # '"A," X said. "B" to do it.': the utterance ends in the narration's words, so the joined
    # prediction (first start to the partial's clause end) does not lie inside marks: it counts
    # for recall, not for precision, like the gold's partial quote over the same words
    text = '"We will win," Jane Roe said. "Voters are not there yet" to back us.'
    gold = GoldArticle("a10", text, (GoldQuote("…", "Jane Roe", "partial", 0, len(text) - 1),
                                     gold_quote("We will win,", "Jane Roe", text=text)))
    clause = span(text, '"Voters are not there yet" to back us')
    head = pred("We will win,", "Jane Roe", text=text)
    tail = Quote("Voters are not there yet", "Jane Roe", "Jane Roe", None, "said", "partial",
                 *span(text, "Voters are not there yet"), 0, 0.7, True, clause[0], clause[1])
    score = score_quotes([gold], [(head, tail)])
    assert (score.predicted, score.matched, score.matched_predicted) == (0, 1, 0)
    score = score_quotes([gold], [(head,)])  # the first piece alone lies inside marks
    assert (score.predicted, score.matched, score.matched_predicted) == (1, 1, 1)
