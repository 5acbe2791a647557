"""The direct-quote metric of ../shared/bench/README.md, on PolNeAR-style JSONL gold.

Gold: one article per line, `text` and `quotes` (each with `quote`, `speaker` as written,
`kind`, `start`/`end` and, for discontinuous quotes, `spans`).

Metric (README, "Quotes"):
- only gold quotes of kind `direct` are scored;
- a predicted quote matches a gold direct quote when their character spans overlap by at least
  half of the gold span; one prediction matches at most one gold quote and one gold quote at
  most one prediction (pairs are taken by largest overlap first);
- precision = matched predictions / predicted quotes that lie inside quotation marks;
  recall = matched gold quotes / gold direct quotes;
- speaker accuracy = over matched pairs whose gold speaker is a name (not a pronoun, not empty),
  the share whose predicted speaker shares its last name with the gold speaker span.

How newsdesk's Quote values become predictions (the README does not say; see docs/QUOTES.md):
- a Quote with `continues=True` is one utterance with the quote before it ("A," she said.
  "B."), so the two make one prediction spanning from the first start to the last end: the gold
  annotates such an utterance as one quote whose `start`/`end` run over the attribution in
  between (its `spans` list the pieces);
- such a prediction lies inside quotation marks when each of its pieces does (a quotation mark
  right before and right after it), as the gold calls a quote `direct` when its whole content,
  the pieces, is inside marks;
- a prediction's span is the span newsdesk claims as the quoted speech (`claimed_span`): the
  Quote's content span when it has one (a `partial` quote's reported clause around the quoted
  words, which the gold annotates the same way), else start/end; it counts in precision when
  that span lies inside quotation marks, whatever the Quote's `kind`. The figures with
  newsdesk's `direct` predictions only are kept as `*_direct_only` diagnostics;
- the predicted speaker is `speaker` (the resolved name), or `speaker_as_written` when the
  speaker could not be resolved to a name ("the crowd").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from tasks.quotes import Quote, extract_quotes

QUOTE_MARKS = frozenset("\"“”„«»‘’‚'‹›`")
_PRONOUN_SPEAKERS = frozenset({
    "he", "she", "they", "i", "we", "you", "it", "him", "her", "them", "his", "hers", "its",
    "their", "this", "that", "who", "me", "us", "one", "someone", "somebody",
})
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class GoldQuote:
    quote: str
    speaker: str | None
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class GoldArticle:
    id: str
    text: str
    quotes: tuple[GoldQuote, ...]


@dataclass(frozen=True)
class Prediction:
    """One predicted utterance: a Quote, or a Quote with its continuations."""

    start: int
    end: int
    speaker: str | None
    marked: bool  # lies inside quotation marks
    kind: str


@dataclass(frozen=True)
class QuoteError:
    """One scoring event worth reading: a miss, a false alarm or a wrong speaker."""

    # "missed" | "speaker" | "spurious" | "spurious_partial" (a newsdesk partial quote) |
    # "spurious_on_partial" (overlaps a gold partial quote)
    kind: str
    start: int
    end: int
    text: str
    gold_speaker: str | None
    predicted_speaker: str | None


@dataclass(frozen=True)
class ArticleResult:
    id: str
    gold: int  # gold direct quotes
    predicted: int  # predicted quotes that lie inside quotation marks
    matched: int  # gold direct quotes matched (by any prediction)
    matched_predicted: int  # predictions inside quotation marks that match a gold direct quote
    errors: tuple[QuoteError, ...]


@dataclass(frozen=True)
class QuoteScore:
    precision: float
    recall: float
    f1: float
    speaker_accuracy: float
    gold: int  # gold direct quotes
    predicted: int  # predicted quotes that lie inside quotation marks (any kind)
    matched: int  # gold direct quotes matched (by any prediction)
    matched_predicted: int  # predictions inside quotation marks that match one
    speaker_scored: int  # matched pairs whose gold speaker is a name
    speaker_correct: int
    # diagnostics, not the README's metric: newsdesk's `direct` predictions only
    precision_direct_only: float
    recall_direct_only: float
    f1_direct_only: float
    predicted_direct_only: int
    # false alarms that are newsdesk `partial` quotes (quoted words inside reported speech: the
    # gold annotates the reported clause around them as a `partial` quote, which is not scored)
    spurious_partial_predictions: int
    # diagnostic, not part of the metric: false alarms that overlap a gold quote of kind
    # `partial` (the gold derives kind from the marks at the edges of each annotated span, so an
    # annotator who splits a quoted passage sentence by sentence yields "partial" pieces)
    spurious_on_partial_gold: int
    # diagnostic: gold direct quotes matched by a prediction that does not lie inside marks (a
    # partial quote's reported clause around them); they count for recall, not for precision
    matched_unmarked: int
    articles: tuple[ArticleResult, ...]


def load_quote_gold(path: str | Path) -> list[GoldArticle]:
    articles = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            quotes = tuple(
                GoldQuote(q["quote"], q.get("speaker"), q["kind"], q["start"], q["end"])
                for q in row["quotes"]
            )
            articles.append(GoldArticle(row["id"], row["text"], quotes))
    return articles


def lies_in_marks(text: str, start: int, end: int) -> bool:
    """True when a quotation mark stands right before `start` and right after `end`
    (whitespace allowed between), as it does around the content of a quote."""
    before = text[max(0, start - 3):start].rstrip()
    after = text[end:end + 3].lstrip()
    return bool(before) and before[-1] in QUOTE_MARKS and bool(after) and after[0] in QUOTE_MARKS


def claimed_span(quote: Quote) -> tuple[int, int]:
    """The span newsdesk claims as the quoted speech: the content span (a partial quote's
    reported clause) when the Quote has one, else the quote itself."""
    if quote.content_start is not None and quote.content_end is not None:
        return quote.content_start, quote.content_end
    return quote.start, quote.end


def group_predictions(text: str, quotes: Sequence[Quote]) -> list[Prediction]:
    """Join continued quotes into one prediction each: a quote with `continues=True` joins the
    nearest earlier prediction of the same speaker (a scare-quoted word of the narration may
    stand between), else the one just before."""
    predictions: list[Prediction] = []
    for quote in quotes:
        start, end = claimed_span(quote)
        marked = lies_in_marks(text, start, end)
        speaker = quote.speaker or quote.speaker_as_written
        if quote.continues and predictions:
            k = next((i for i in range(len(predictions) - 1, max(-1, len(predictions) - 3), -1)
                      if predictions[i].speaker == speaker), len(predictions) - 1)
            head = predictions[k]
            predictions[k] = Prediction(min(head.start, start), max(head.end, end), head.speaker,
                                        head.marked and marked, head.kind)
            del predictions[k + 1:]  # what stood inside the joined span is part of it
        else:
            predictions.append(Prediction(start, end, speaker, marked, quote.kind))
    return predictions


def last_name(name: str) -> str:
    words = [w for w in _WORD_RE.findall(name) if w.lower() not in _NAME_SUFFIXES]
    return words[-1].casefold() if words else ""


def is_named_speaker(speaker: str | None) -> bool:
    return bool(speaker and speaker.strip()) and speaker.strip().lower() not in _PRONOUN_SPEAKERS


def same_speaker(gold_span: str, predicted: str | None) -> bool:
    """The predicted speaker's last name is one of the words of the gold speaker span."""
    if not predicted:
        return False
    surname = last_name(predicted)
    return bool(surname) and surname in {w.casefold() for w in _WORD_RE.findall(gold_span)}


def _match(gold: list[GoldQuote], predicted: list[Prediction]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, prediction index), largest overlap first."""
    candidates = []
    for g, quote in enumerate(gold):
        need = (quote.end - quote.start) / 2
        for p, pred in enumerate(predicted):
            overlap = min(quote.end, pred.end) - max(quote.start, pred.start)
            if overlap > 0 and overlap >= need:
                candidates.append((overlap, g, p))
    pairs, used_g, used_p = [], set(), set()
    for _overlap, g, p in sorted(candidates, reverse=True):
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            pairs.append((g, p))
    return pairs


def score_article(article: GoldArticle, quotes: Sequence[Quote]) -> tuple[ArticleResult, tuple[int, int], int, int]:
    """Score one article: (result, (direct-only predictions, of them matched), speaker scored,
    speaker correct)."""
    gold = [q for q in article.quotes if q.kind == "direct"]
    grouped = group_predictions(article.text, quotes)
    # every prediction may match a gold quote (recall); precision counts those inside marks
    predicted = grouped
    pairs = _match(gold, predicted)
    errors: list[QuoteError] = []
    scored = correct = 0
    for g, p in pairs:
        if not is_named_speaker(gold[g].speaker):
            continue
        scored += 1
        if same_speaker(gold[g].speaker or "", predicted[p].speaker):
            correct += 1
        else:
            errors.append(QuoteError("speaker", gold[g].start, gold[g].end,
                                     article.text[gold[g].start:gold[g].end], gold[g].speaker,
                                     predicted[p].speaker))
    matched_g = {g for g, _ in pairs}
    matched_p = {p for _, p in pairs}
    for g, quote in enumerate(gold):
        if g not in matched_g:
            errors.append(QuoteError("missed", quote.start, quote.end, quote.quote, quote.speaker, None))
    for p, pred in enumerate(predicted):
        if p not in matched_p and pred.marked:
            errors.append(QuoteError(_false_alarm_kind(article, pred), pred.start, pred.end,
                                     article.text[pred.start:pred.end], None, pred.speaker))
    direct_only = [p for p in predicted if p.kind == "direct" and p.marked]
    direct_matched = len(_match(gold, direct_only))
    result = ArticleResult(article.id, len(gold), sum(p.marked for p in predicted), len(pairs),
                           sum(predicted[p].marked for p in matched_p),
                           tuple(sorted(errors, key=lambda e: e.start)))
    return result, (len(direct_only), direct_matched), scored, correct


def _false_alarm_kind(article: GoldArticle, pred: Prediction) -> str:
    """'spurious_partial' for a newsdesk partial quote, 'spurious_on_partial' for a prediction
    overlapping a gold partial quote, else 'spurious' (diagnostics only)."""
    if pred.kind == "partial":
        return "spurious_partial"
    if any(q.kind == "partial" and min(q.end, pred.end) > max(q.start, pred.start) for q in article.quotes):
        return "spurious_on_partial"
    return "spurious"


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_quotes(gold_articles: Sequence[GoldArticle], predicted: Sequence[Sequence[Quote]]) -> QuoteScore:
    """Score predictions (one tuple of Quote per gold article, same order)."""
    if len(gold_articles) != len(predicted):
        raise ValueError(f"{len(gold_articles)} gold articles but {len(predicted)} predictions")
    results = []
    direct_all = direct_matched = scored = correct = 0
    for article, quotes in zip(gold_articles, predicted):
        result, (direct, matched_direct), s, c = score_article(article, quotes)
        results.append(result)
        direct_all += direct
        direct_matched += matched_direct
        scored += s
        correct += c
    gold = sum(r.gold for r in results)
    pred = sum(r.predicted for r in results)
    matched = sum(r.matched for r in results)
    matched_predicted = sum(r.matched_predicted for r in results)
    precision, recall = _ratio(matched_predicted, pred), _ratio(matched, gold)
    errors = [e.kind for r in results for e in r.errors]
    p_direct, r_direct = _ratio(direct_matched, direct_all), _ratio(direct_matched, gold)
    return QuoteScore(
        precision=precision, recall=recall, f1=_f1(precision, recall),
        speaker_accuracy=_ratio(correct, scored), gold=gold, predicted=pred, matched=matched,
        matched_predicted=matched_predicted,
        speaker_scored=scored, speaker_correct=correct,
        precision_direct_only=p_direct, recall_direct_only=r_direct,
        f1_direct_only=_f1(p_direct, r_direct), predicted_direct_only=direct_all,
        spurious_partial_predictions=errors.count("spurious_partial"),
        spurious_on_partial_gold=errors.count("spurious_on_partial"), matched_unmarked=matched - matched_predicted,
        articles=tuple(results),
    )


def evaluate_quotes(gold_path: str | Path, details: bool = False) -> QuoteScore:
    """Run extract_quotes on every gold article and score it; `details=False` drops the
    per-article error listing from the result."""
    articles = load_quote_gold(gold_path)
    score = score_quotes(articles, [extract_quotes(a.text) for a in articles])
    if details:
        return score
    return QuoteScore(**{**score.__dict__, "articles": ()})


def iter_errors(score: QuoteScore) -> Iterable[tuple[str, QuoteError]]:
    for article in score.articles:
        for error in article.errors:
            yield article.id, error


@dataclass(frozen=True)
class IndirectScore:
    """Reported speech without marks against the gold's `indirect` quotes (issue 5's stretch
    goal; not the README's metric, which scores direct quotes): the README's matching rule
    (overlap of at least half the gold span, one to one) and its speaker rule."""

    precision: float
    recall: float
    f1: float
    speaker_accuracy: float
    gold: int
    predicted: int
    matched: int
    speaker_scored: int
    speaker_correct: int


def score_indirect(gold_articles: Sequence[GoldArticle], predicted: Sequence[Sequence[Quote]]) -> IndirectScore:
    """Score `indirect` predictions (one tuple per gold article) against gold `indirect` quotes."""
    if len(gold_articles) != len(predicted):
        raise ValueError(f"{len(gold_articles)} gold articles but {len(predicted)} predictions")
    gold_n = pred_n = matched = scored = correct = 0
    for article, quotes in zip(gold_articles, predicted):
        gold = [q for q in article.quotes if q.kind == "indirect"]
        preds = [Prediction(q.start, q.end, q.speaker or q.speaker_as_written, False, q.kind)
                 for q in quotes if q.kind == "indirect"]
        pairs = _match(gold, preds)
        gold_n, pred_n, matched = gold_n + len(gold), pred_n + len(preds), matched + len(pairs)
        for g, p in pairs:
            if is_named_speaker(gold[g].speaker):
                scored += 1
                correct += same_speaker(gold[g].speaker or "", preds[p].speaker)
    precision, recall = _ratio(matched, pred_n), _ratio(matched, gold_n)
    return IndirectScore(precision, recall, _f1(precision, recall), _ratio(correct, scored), gold_n,
                         pred_n, matched, scored, correct)


def evaluate_indirect(gold_path: str | Path) -> IndirectScore:
    """Run extract_reported_speech on every gold article and score it against `indirect` gold."""
    from tasks.quotes import extract_reported_speech

    articles = load_quote_gold(gold_path)
    return score_indirect(articles, [extract_reported_speech(a.text) for a in articles])


def content_agreement(gold_articles: Sequence[GoldArticle],
                      predicted: Sequence[Sequence[Quote]]) -> tuple[int, int, int, int]:
    """Diagnostic for the content span: over predicted `partial` quotes whose content span
    overlaps a gold `partial` quote, (how many, same start and end, same start, same end) as
    the gold quote they overlap most."""
    overlapping = exact = same_start = same_end = 0
    for article, quotes in zip(gold_articles, predicted):
        gold = [q for q in article.quotes if q.kind == "partial"]
        for quote in quotes:
            if quote.kind != "partial" or not gold:
                continue
            start, end = claimed_span(quote)
            best = max(gold, key=lambda g: min(g.end, end) - max(g.start, start))
            if min(best.end, end) <= max(best.start, start):
                continue
            overlapping += 1
            same_start += best.start == start
            same_end += best.end == end
            exact += best.start == start and best.end == end
    return overlapping, exact, same_start, same_end
