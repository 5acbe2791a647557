"""Find quoted stretches in text: every quotation-mark style, nesting, unbalanced marks and
quotes that run over several paragraphs.

Plain functions over strings; tasks/quotes.py decides which stretches are quotes and who said
them. Offsets are absolute offsets into the article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# `''` and ``` `` ``` are the typewriter doubles of some wires (NYT archives write ''like this'').
_DOUBLE_MARK_RE = re.compile(r"''|``|[\"“”„«»]")
_SINGLE_MARK_RE = re.compile(r"[‘’'‚‹›]")
_PARAGRAPH_RE = re.compile(r"[^\n\r]+")
_OPEN_CONTEXT = set("([{—–-/:;…“‘„«\"'")
_CLOSE_CONTEXT = set(".,;:!?)]}—–-…”’»\"'")


@dataclass(frozen=True)
class Paragraph:
    index: int  # 0-based among non-blank lines
    start: int
    end: int


@dataclass(frozen=True)
class Span:
    """One quoted stretch inside one paragraph."""

    paragraph: int
    open: int  # offset of the opening mark
    close: int  # offset just past the closing mark (== end when the quote is left open)
    start: int  # content offsets, whitespace trimmed
    end: int
    closed: bool
    carried: bool  # opens a paragraph that continues a quote left open in the paragraph before
    double: bool


def split_paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Non-blank lines are paragraphs: covers one-per-line and blank-line-separated text."""
    spans = [(m.start(), m.end()) for m in _PARAGRAPH_RE.finditer(text) if not m.group().isspace()]
    return tuple(Paragraph(i, start, end) for i, (start, end) in enumerate(spans))


def _context(text: str, lo: int, hi: int, i: int, width: int) -> tuple[str, str]:
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + width] if i + width < hi else " "
    return prev, nxt


def _can_open(prev: str, nxt: str) -> bool:
    return (prev.isspace() or prev in _OPEN_CONTEXT) and not nxt.isspace()


def _can_close(prev: str, nxt: str) -> bool:
    return not prev.isspace() and (nxt.isspace() or nxt in _CLOSE_CONTEXT)


def _classify_double(mark: str, prev: str, nxt: str, opener: str | None) -> tuple[bool, bool]:
    """Return (opens, closes) for a double mark given the mark that opened the current quote."""
    if mark in ("“", "``"):
        # „German“ closes with the English opening mark.
        return opener is None, opener == "„" or (opener is not None and _can_close(prev, nxt) and not _can_open(prev, nxt))
    if mark == "„":
        return opener is None, False
    if mark == "«":
        return opener is None, opener == "»"
    if mark == "»":
        return opener is None and _can_open(prev, nxt), opener is not None
    if mark == "”":
        return opener is None and _can_open(prev, nxt) and not _can_close(prev, nxt), opener is not None
    # straight " and '' are ambiguous: position decides
    opens = _can_open(prev, nxt)
    closes = _can_close(prev, nxt) or not opens
    return opener is None and opens, opener is not None and closes


def _make_span(text: str, para: Paragraph, open_at: int, content_lo: int, content_hi: int,
               close_at: int, closed: bool, double: bool) -> Span | None:
    segment = text[content_lo:content_hi]
    stripped = segment.strip()
    if not stripped:
        return None
    start = content_lo + (len(segment) - len(segment.lstrip()))
    end = start + len(stripped)
    return Span(para.index, open_at, close_at, start, end, closed, False, double)


def _find_double_spans(text: str, para: Paragraph) -> list[Span]:
    spans: list[Span] = []
    opener: str | None = None
    open_at = content_lo = 0
    for match in _DOUBLE_MARK_RE.finditer(text, para.start, para.end):
        mark, i = match.group(), match.start()
        prev, nxt = _context(text, para.start, para.end, i, len(mark))
        opens, closes = _classify_double(mark, prev, nxt, opener)
        if opener is not None and closes:
            span = _make_span(text, para, open_at, content_lo, i, match.end(), True, True)
            if span is not None:
                spans.append(span)
            opener = None
        elif opener is not None and _can_open(prev, nxt) and (mark in ("“", "„", "«") or not _can_close(prev, nxt)):
            # a fresh opening mark while one is open: the earlier one was never closed
            opener, open_at, content_lo = mark, i, match.end()
        elif opens:
            opener, open_at, content_lo = mark, i, match.end()
    if opener is not None:
        span = _make_span(text, para, open_at, content_lo, para.end, para.end, False, True)
        if span is not None:
            spans.append(span)
    return spans


def _is_single_opener(mark: str, prev: str, nxt: str) -> bool:
    if mark in ("‘", "‚", "‹", "'"):
        return (prev.isspace() or prev in _OPEN_CONTEXT) and (nxt.isalnum() or nxt in "…."
                                                              ) and nxt != "s"
    return False


def _is_single_closer(mark: str, prev: str, nxt: str) -> bool:
    if mark not in ("’", "'", "›"):
        return False
    if prev.isalpha() and nxt.isalpha():  # contraction: don't, it’s
        return False
    return not prev.isspace() and (nxt.isspace() or nxt in _CLOSE_CONTEXT)


def _find_single_spans(text: str, para: Paragraph, taken: list[Span]) -> list[Span]:
    """Single-quoted stretches outside double quotes (headlines, UK style, nested-less)."""
    spans: list[Span] = []
    open_at = -1
    for lo, hi in _outside(para, taken):
        for match in _SINGLE_MARK_RE.finditer(text, lo, hi):
            i = match.start()
            prev, nxt = _context(text, para.start, para.end, i, 1)
            if prev.isalnum() and nxt.isalnum():
                continue  # an apostrophe: don't, it’s
            open_at = _step_single(text, para, match.group(), i, prev, nxt, open_at, spans)
    return spans


def _outside(para: Paragraph, taken: list[Span]) -> list[tuple[int, int]]:
    """The stretches of a paragraph outside its double-quoted spans."""
    gaps, lo = [], para.start
    for span in taken:
        gaps.append((lo, span.open))
        lo = span.close
    gaps.append((lo, para.end))
    return gaps


def _step_single(text: str, para: Paragraph, mark: str, i: int, prev: str, nxt: str,
                 open_at: int, spans: list[Span]) -> int:
    """Advance the single-mark pairing by one mark; returns the open position (-1: none)."""
    if open_at < 0:
        return i if _is_single_opener(mark, prev, nxt) else -1
    if _is_single_closer(mark, prev, nxt):
        span = _make_span(text, para, open_at, open_at + 1, i, i + 1, True, False)
        if span is not None:
            spans.append(span)
        return -1
    return open_at


def find_spans(text: str, paragraphs: tuple[Paragraph, ...]) -> list[list[Span]]:
    """Quoted stretches per paragraph, in order; marks a paragraph-opening quote that carries
    on a quote left open at the end of the paragraph before (the newswire convention)."""
    result: list[list[Span]] = []
    left_open = False
    for para in paragraphs:
        spans = _find_double_spans(text, para)
        spans += _find_single_spans(text, para, spans)
        spans.sort(key=lambda s: s.open)
        if left_open and spans and spans[0].open == para.start and spans[0].double:
            first = spans[0]
            spans[0] = Span(first.paragraph, first.open, first.close, first.start, first.end,
                            first.closed, True, True)
        left_open = bool(spans) and spans[-1].double and not spans[-1].closed
        result.append(spans)
    return result
