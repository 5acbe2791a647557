"""The reported speech around a partial quote: the clause newsdesk claims as what was said.

A partial quote's `quote` is the quoted words ("strong economic and other measures"); its
content span is the reported clause that contains them, the way PolNeAR annotates it: after the
cue, an optional object and time or place phrase and an optional "that", up to the end of the
clause ("Biden warned Putin on Tuesday [the West would impose "strong ..." on Russia if it
invades Ukraine], while Putin demanded ..."), or, when the attribution follows, from the
sentence start up to it ("[If they leak, hackers are "losing the value,"] he added."). Plain
functions over offsets; docs/QUOTES.md documents the rules.
"""

from __future__ import annotations

import bisect
import re
from itertools import islice

from tasks.quote_lexicon import DETERMINERS, SPEECH_VERB_RE

_MARKS = "\"“”„«»‘’‚'‹›`"
CLAUSE_BOUNDARY_RE = re.compile(
    r"[;:]\s|\s[—–]\s|\s--\s|,[”\"’'»]*\s+(?:while|whereas|but|even as|as well as|according to)\b"
    r"|\s(?:while|whereas)\s")
# verbs whose hearer may stand between the verb and the reported clause ("warned Putin the West")
_OBJECT_VERBS = frozenset({
    "tell", "tells", "told", "telling", "warn", "warns", "warned", "warning", "assure", "assures",
    "assured", "assuring", "remind", "reminds", "reminded", "reminding", "inform", "informs",
    "informed", "informing", "promise", "promises", "promised", "promising", "urge", "urges",
    "urged", "urging", "ask", "asks", "asked", "asking", "convince", "convinced", "advise",
    "advised", "advises", "instruct", "instructed", "instructs",
})
_TELL_VERBS = frozenset({"tell", "tells", "told", "telling"})
_HEARERS = frozenset({
    "me", "him", "her", "us", "them", "you", "reporters", "journalists", "voters", "supporters",
    "lawmakers", "viewers", "listeners", "members", "officials", "students", "donors", "investors",
    "the crowd", "the audience", "the committee", "congress", "parliament", "the court",
})
_TIME_WORDS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
    "yesterday", "tonight", "earlier", "later", "recently", "again", "repeatedly", "previously",
    "publicly", "privately", "once", "also", "then", "now", "often", "late", "early",
    "morning", "afternoon", "evening", "night", "week", "weekend", "month", "year",
})
_PHRASE_LEADS = frozenset({
    "on", "in", "at", "during", "after", "before", "over", "via", "last", "this", "next", "late",
    "early", "through", "from", "by", "earlier",
})
# words that open the reported clause itself, ending an object or time phrase before it
_CLAUSE_OPENERS = frozenset({
    "that", "he", "she", "it", "they", "we", "i", "you", "there", "his", "her", "its", "their",
    "our", "my", "your", "this", "these", "those", "if", "whether", "how", "why", "what", "when",
})
_COORDINATION_RE = re.compile(r",?\s(?:and|but)\s+(?:also\s+|then\s+|later\s+)?")
_WORD_RE = re.compile(r"[\w'’.-]+|[,:]")
_MAX_SKIPPED_WORDS = 10


def reported_clause(text: str, start: int, end: int, cue: str | None,
                    sentence_starts: tuple[int, ...]) -> tuple[int, int]:
    """The content span of a partial quote whose quoted words are text[start:end]: the reported
    clause around them. Returns (start, end) itself when the clause is just the quoted words."""
    open_at, close_at = _mark_bounds(text, start, end)
    lo, hi = _sentence_bounds(text, open_at, close_at, sentence_starts)
    before = _find_cue(text, lo, open_at, cue, last=True)
    after = None if before is not None else _find_cue(text, close_at, hi, cue, last=False)
    that_at = None
    if before is not None and not _parenthetical(text, lo, before, open_at):
        clause_lo, that_at = skip_to_clause(text, before[1], open_at, before[2])
        clause_lo = min(clause_lo, open_at)
        clause_hi = _clause_end(text, close_at, hi)
    elif after is not None:
        clause_lo = _after_boundary(text, lo, open_at)
        clause_hi = _attribution_start(text, close_at, after[0])
    else:
        clause_lo, clause_hi = _after_boundary(text, lo, open_at), _clause_end(text, close_at, hi)
    clause_lo, clause_hi = _trim(text, clause_lo, max(clause_hi, close_at))
    if clause_lo >= open_at and clause_hi <= close_at:
        if that_at is not None:
            # 'said that "The plan failed."': the quoted words are the whole that-clause, reported
            # speech rather than a direct quote, so the complementizer stays in the span
            return that_at, max(clause_hi, end)
        return start, end  # the clause is the quoted words alone
    return min(clause_lo, start), max(clause_hi, end)


def skip_to_clause(text: str, pos: int, limit: int, verb: str) -> tuple[int, int | None]:
    """Offset of the reported clause after a speech verb ending at `pos`: past a hearer (for
    verbs that take one: "told reporters", "warned Putin"), time and place phrases ("on
    Tuesday", "in a statement", "at a news conference Monday") and a "that"; and the offset of
    that "that" (None when there is none)."""
    words = [(m.group(), m.start()) for m in islice(_WORD_RE.finditer(text, pos, limit), _MAX_SKIPPED_WORDS + 2)]
    i = 0
    if verb.lower() in _OBJECT_VERBS:
        i = _skip_hearer(words, i, verb.lower() in _TELL_VERBS)
    while i < len(words):
        word = words[i][0].lower()
        if word == ",":
            i += 1
        elif word in _TIME_WORDS:
            i += 1
        elif word in _PHRASE_LEADS and i + 1 < len(words):
            i = _skip_phrase(words, i + 1)
        else:
            break
    that_at = None
    if i < len(words) and words[i][0].lower() == "that":
        that_at = words[i][1]
        i += 1
    if i > _MAX_SKIPPED_WORDS:
        return pos, None
    return (words[i][1] if i < len(words) else limit), that_at


def _skip_hearer(words: list[tuple[str, int]], i: int, required: bool) -> int:
    """Past the hearer right after the verb: a pronoun, a listed audience, a capitalised name;
    after 'told' also a short noun phrase ('told a rally in Ohio that')."""
    if i >= len(words):
        return i
    word = words[i][0]
    pair = f"{word} {words[i + 1][0]}".lower() if i + 1 < len(words) else ""
    if pair in _HEARERS:
        return i + 2
    if word.lower() in _HEARERS:
        return i + 1
    if word[:1].isupper() and word.lower() not in _CLAUSE_OPENERS:
        while i < len(words) and words[i][0][:1].isupper():
            i += 1  # "warned Putin", "told Fox News"
        return i
    if required and word.lower() in DETERMINERS:
        return _skip_phrase(words, i)
    return i


def _skip_phrase(words: list[tuple[str, int]], i: int) -> int:
    """Past a short phrase: an optional determiner and words up to the next one, a pronoun, a
    'that' or a comma ('a news conference Monday' | 'the West would')."""
    if i < len(words) and words[i][0].lower() in DETERMINERS:
        i += 1
    taken = 0
    while i < len(words) and taken < 5:
        word = words[i][0].lower()
        if word in (",", "to") or word in _CLAUSE_OPENERS or word in DETERMINERS:
            break
        i += 1
        taken += 1
    return i


def _mark_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the opening mark before `start` and just past the closing mark after `end`
    (the content is whitespace-trimmed; a mark may be doubled: '' or ``)."""
    open_at = start
    while open_at > 0 and start - open_at < 2 and text[open_at - 1] in " \u00a0":
        open_at -= 1
    lead = open_at
    while open_at > 0 and lead - open_at < 2 and text[open_at - 1] in _MARKS:
        open_at -= 1
    if open_at == lead:
        open_at = start
    close_at = end
    while close_at < len(text) and close_at - end < 2 and text[close_at] in " \u00a0":
        close_at += 1
    tail = close_at
    while close_at < len(text) and close_at - tail < 2 and text[close_at] in _MARKS:
        close_at += 1
    return open_at, close_at if close_at > tail else end


def _sentence_bounds(text: str, open_at: int, close_at: int, starts: tuple[int, ...]) -> tuple[int, int]:
    """The sentence around the quote, within its paragraph."""
    k = bisect.bisect_right(starts, open_at) - 1
    lo = starts[k] if k >= 0 else 0
    lo = max(lo, text.rfind("\n", 0, open_at) + 1)
    k = bisect.bisect_left(starts, close_at)
    hi = starts[k] if k < len(starts) else len(text)
    newline = text.find("\n", close_at)
    return lo, hi if newline < 0 else min(hi, newline)


def _find_cue(text: str, lo: int, hi: int, cue: str | None, last: bool) -> tuple[int, int, str] | None:
    """(start, end, word) of the cue in text[lo:hi] as a whole word, the one nearest the quote."""
    if not cue or hi <= lo:
        return None
    at = text.rfind(cue, lo, hi) if last else text.find(cue, lo, hi)
    while at >= 0:
        end = at + len(cue)
        if not (at > 0 and text[at - 1].isalnum()) and not (end < len(text) and text[end].isalnum()):
            return at, end, cue.split()[-1]
        at = text.rfind(cue, lo, at) if last else text.find(cue, end, hi)
    return None


def _parenthetical(text: str, lo: int, cue: tuple[int, int, str], open_at: int) -> bool:
    """'If Clinton is elected, he said, "she might ..."': an attribution set off by commas in
    the middle of the sentence; the reported clause is the whole sentence."""
    between = text[cue[1]:open_at].strip()
    head = text[lo:cue[0]]
    return between.startswith(",") and "," in head and bool(head.split(",", 1)[0].strip())


def _clause_end(text: str, close_at: int, hi: int) -> int:
    """The end of the clause that goes on after the quote: the sentence end, a boundary such
    as '; ', ', while', ' — ' (its comma may stand inside the closing mark: '"a lawsuit,"
    according to'), or a speech verb coordinated with the cue ('... and said ...')."""
    match = CLAUSE_BOUNDARY_RE.search(text, max(0, close_at - 3), hi)
    end = max(match.start(), close_at) if match else hi
    for coordinated in _COORDINATION_RE.finditer(text, close_at, end):
        if SPEECH_VERB_RE.match(text, coordinated.end()):
            return coordinated.start()
    return end


def _after_boundary(text: str, lo: int, open_at: int) -> int:
    """The start of the clause the quote stands in: after the last '; ' or dash before it."""
    last = None
    for match in re.finditer(r";\s|\s[—–]\s|\s--\s", text[lo:open_at]):
        last = match
    return lo + last.end() if last else lo


def _attribution_start(text: str, close_at: int, cue_start: int) -> int:
    """Where the attribution after the quote begins: at the last comma or dash before its
    cue ('..., and he finds that in government work, he said')."""
    between = text[close_at:cue_start]
    cut = max(between.rfind(","), between.rfind(" —"), between.rfind(" –"), between.rfind(" -"))
    return close_at + cut if cut > 0 else close_at


def _trim(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Whitespace off both ends, and the sentence's own punctuation off the end."""
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in ".,;:!?"):
        hi -= 1
    return lo, hi
