"""Reported speech without quotation marks: kind `indirect` (the stretch goal of issue 5).

"Ushakov said that [the two leaders had not discussed a proposal ...]", "[Putin and Biden
underlined the need ...], Ushakov said.", "while Putin demanded [guarantees NATO would not
expand further eastward]". A clause that holds quotation marks is a direct or partial quote
(tasks/quotes.py), not reported speech here. Plain functions over offsets; returns spans and
attributions, tasks/quotes.py makes the Quote values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.quote_content import CLAUSE_BOUNDARY_RE, skip_to_clause
from tasks.quote_cues import attribution_after, speech_cues, subject_of
from tasks.quote_lexicon import WEAK_CUES
from tasks.quote_marks import Paragraph, Span
from tasks.quote_names import ArticleNames
from tasks.quote_speakers import Attribution, noun_phrase

# speech verbs that take a noun or a preposition rather than a reported clause
_NO_CLAUSE_CUES = frozenset({
    "speak", "speaks", "spoke", "speaking", "tweet", "tweets", "tweeted", "tweeting", "post",
    "posts", "posted", "posting", "text", "texted", "email", "emailed", "chant", "chanted",
    "chanting", "yell", "yelled", "shout", "shouted", "repeat", "repeated", "echo", "echoed",
    "went on", "goes on", "going on", "continue", "continued", "continues", "mock", "mocked",
    "mocking", "tout", "touted", "cry", "cried", "read", "reads", "write", "writes", "wrote",
    "writing", "written", "ask", "asks", "asked", "asking", "thunder", "sigh", "sighed", "gush",
    "gushed", "scream", "screamed", "answer", "answered",
})
# a reported clause has a finite verb: an auxiliary or modal, or a past form
_FINITE_RE = re.compile(
    r"\b(?:is|are|was|were|will|would|could|can|should|must|may|might|had|has|have|did|does|"
    r"do|\w+n[’']t|\w+[’'](?:s|re|ll|d|ve)|\w{3,}ed)\b")
_SUBJECT_START_RE = re.compile(r"(?:he|she|they|it|we|i|there|you)\b", re.IGNORECASE)
_COORDINATED_CUE_RE = re.compile(r"\s(?:and|but)\s+(?:also\s+|then\s+)?$")
_PLAIN_CUES = frozenset({"said", "says", "say", "told", "tells", "tell"})
_MIN_WORDS = 3
_MAX_ATTRIBUTION_WORDS = 9


@dataclass(frozen=True)
class Reported:
    start: int  # the reported clause, no quotation marks in it
    end: int
    attribution: Attribution
    paragraph: int


def find_reported_speech(text: str, paragraphs: tuple[Paragraph, ...], spans_by_para: list[list[Span]],
                         names: ArticleNames) -> list[Reported]:
    """Every reported clause with its speaker, in text order."""
    found: list[Reported] = []
    starts = names.sentence_starts
    for para, spans in zip(paragraphs, spans_by_para):
        marked = [(s.open, s.close) for s in spans]
        bounds = [s for s in starts if para.start <= s < para.end] or [para.start]
        if bounds[0] != para.start:
            bounds.insert(0, para.start)
        for lo, hi in zip(bounds, bounds[1:] + [para.end]):
            found.extend(_sentence_reports(text, lo, _trim_end(text, lo, hi), marked, names, para.index))
    return found


def _sentence_reports(text: str, lo: int, hi: int, marked: list[tuple[int, int]], names: ArticleNames,
                      paragraph: int) -> list[Reported]:
    if hi - lo < 10:
        return []
    if not _has_marks(marked, lo, hi):
        after = _attribution_at_end(text, lo, hi, names) or _attribution_inside(text, lo, hi, names)
        if after is not None:
            end = after[0] if after[0] > lo else hi
            return [Reported(lo, end, after[1], paragraph)] if _is_clause(text, lo, end) else []
        front = _according_to_front(text, lo, hi, names)
        if front is not None:
            return [Reported(front[0], hi, front[1], paragraph)] if _is_clause(text, front[0], hi) else []
    out: list[Reported] = []
    seg_lo = lo
    for boundary in list(CLAUSE_BOUNDARY_RE.finditer(text, lo, hi)) + [None]:
        seg_hi = boundary.start() if boundary else hi
        if not _has_marks(marked, seg_lo, seg_hi):
            out.extend(_forward_reports(text, seg_lo, seg_hi, names, paragraph))
        seg_lo = boundary.end() if boundary else hi
    return out


def _forward_reports(text: str, lo: int, hi: int, names: ArticleNames, paragraph: int) -> list[Reported]:
    """'X said (on Tuesday) (that) CLAUSE': the clause runs to the segment end, or to a speech
    verb coordinated with this one ('... but said the two leaders would ...')."""
    out: list[Reported] = []
    cues = [m for m in speech_cues(text, lo, hi)
            if m.group() not in _NO_CLAUSE_CUES and m.group() not in WEAK_CUES]
    taken = lo
    for k, cue in enumerate(cues):
        if cue.start() < taken or text[cue.end():cue.end() + 2].strip()[:1] in (":", ","):
            continue
        speaker = subject_of(text, lo, cue, names)
        start, that = skip_to_clause(text, cue.end(), hi, cue.group())
        if speaker is None and not (cue.group() in _PLAIN_CUES and (
                that is not None or _SUBJECT_START_RE.match(text, start))):
            continue  # no subject read: kept only for 'said that ...' / 'said they ...'
        end = hi
        for later in cues[k + 1:]:
            coordinated = _COORDINATED_CUE_RE.search(text, start, later.start())
            if coordinated:
                end = coordinated.start()
                break
        end = _trim_end(text, start, end)
        if _is_clause(text, start, end, that is not None):
            out.append(Reported(start, end, Attribution(speaker, cue.group()), paragraph))
            taken = end
    return out


def _attribution_at_end(text: str, lo: int, hi: int, names: ArticleNames) -> tuple[int, Attribution] | None:
    """'CLAUSE, Ushakov said (on Tuesday).': (the comma's offset, the attribution)."""
    comma = text.rfind(",", lo, hi)
    if comma < 0 or len(text[comma:hi].split()) > _MAX_ATTRIBUTION_WORDS:
        return None
    found = attribution_after(text, comma, hi, names)
    if found is None or found.speaker is None:
        return None
    return comma, found


_ACCORDING_FRONT_RE = re.compile(r"(?:[Bb]ut\s+|[Aa]nd\s+)?[Aa]ccording to\s+([^,]{2,80}),\s*")


def _attribution_inside(text: str, lo: int, hi: int, names: ArticleNames) -> tuple[int, Attribution] | None:
    """'Many of the closures, he said, have involved public courses.': an attribution set off by
    commas inside the sentence reports the whole sentence (returned as offset `lo`)."""
    commas = [m.start() for m in re.finditer(",", text[lo:hi])]
    for first, second in zip(commas, commas[1:]):
        piece = text[lo + first + 1:lo + second]
        if not 2 <= len(piece.split()) <= 6:
            continue
        found = attribution_after(text, lo + first, lo + second, names)
        if found is not None and found.speaker is not None and found.cue != "according to":
            return lo, found
    return None


def _according_to_front(text: str, lo: int, hi: int, names: ArticleNames) -> tuple[int, Attribution] | None:
    """'According to the report, CLAUSE.': the clause after the comma."""
    match = _ACCORDING_FRONT_RE.match(text, lo, hi)
    if match is None:
        return None
    speaker = noun_phrase(text, match.start(1), match.end(1), names, first=True)
    return (match.end(), Attribution(speaker, "according to")) if speaker is not None else None


def _is_clause(text: str, lo: int, hi: int, introduced: bool = False) -> bool:
    """Three words or more with a finite verb (an auxiliary, a modal, a past form, a
    contraction), or opened by 'that' or a subject pronoun: 'said a deal was close', not
    'wrote a letter to Congress'."""
    piece = text[lo:hi]
    if len(piece.split()) < _MIN_WORDS:
        return False
    return introduced or bool(_SUBJECT_START_RE.match(piece)) or bool(_FINITE_RE.search(piece))


def _has_marks(marked: list[tuple[int, int]], lo: int, hi: int) -> bool:
    return any(open_ < hi and close > lo for open_, close in marked)


def _trim_end(text: str, lo: int, hi: int) -> int:
    while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in ".,;:!?"):
        hi -= 1
    return hi
