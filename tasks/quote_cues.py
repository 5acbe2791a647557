"""Speech cues: the verbs that give quotes their speakers, before or after the quote.

"X said", "said X", "X, a Y, said", "according to X", "X told reporters:", a participle
("..., adding"), and a later speaker handed the word in the narration. Plain functions over
(text, lo, hi) offsets; tasks/quote_speakers.py reads the noun phrases.
"""

from __future__ import annotations

import bisect
import re

from tasks.quote_lexicon import DETERMINERS, INVERTED_ONLY_CUES, SPEECH_VERB_RE, WEAK_CUES
from tasks.quote_names import ArticleNames
from tasks.quote_speakers import (
    CLAUSE_WORD_RE, LEADING_JUNK_RE, PREPOSITIONS, Attribution, Speaker, first_name, gerund_subject,
    inverted_subject, joins_names, noun_phrase, subject_left,
)

# (end offset, speaker) of the quote just before, for a participle cue with no subject of its
# own ('"...," she said, adding, "..."')
Previous = tuple[int, Speaker] | None
_TERMINAL = ".!?…"
_ACCORDING_RE = re.compile(r"\baccording to\s+", re.IGNORECASE)
_THAT_RE = re.compile(r"\b(?:that|whether)\b")
_WH_RE = re.compile(r"^\s*(?:if|how|why|what|when|where)\b")
_CAPITAL_DETERMINERS = frozenset({"The", "A", "An", "His", "Her", "Their", "Its", "Our"})
_DASH_RE = re.compile(r"\s[-—–]+\s|;|[—–]")
_COORDINATED_RE = re.compile(r"(?:,\s*|\s)(?:and|but|then|while)\s|;")
_MAX_SUBJECT_WORDS = 12
# „…“, so Berger. / « … », selon le ministre. / "…", aldus De Vries: a speaker with no verb
_INVERTED_ONLY_RE = re.compile(r"(" + "|".join(sorted(INVERTED_ONLY_CUES)) + r")\s+")
_NAME_LINKS = frozenset({"der", "die", "das", "le", "la", "les", "el", "il", "de", "von", "van", "du", "da"})


def cue_before(text: str, lo: int, hi: int, names: ArticleNames,
               previous: Previous) -> tuple[Attribution, bool] | None:
    """The speech verb introducing a quote at `hi`: (attribution, reported) where `reported` is
    True when a that-clause stands between verb and quote (then the quote is partial)."""
    according = _according_to(text, lo, hi, names)
    if according is not None:
        return according, False
    unnamed = None
    for match in reversed(_cues(text, lo, hi)):
        tail = text[match.end():hi]
        if len(tail.split()) > 8 or any(c in tail for c in _TERMINAL) or _DASH_RE.search(tail):
            break  # too far, or another clause stands between ("Pollsters agree - Carl Bialik:")
        if match.group() in WEAK_CUES and not tail.strip().endswith(":"):
            continue
        reported = bool(_THAT_RE.search(tail) or _WH_RE.match(tail))
        speaker = _subject_of(text, lo, match, names, previous)
        if speaker is None and _no_subject_before(text, lo, match.start()):
            # 'But, said Solovey, "..."', 'explained CBS moderator Nancy Cordes: "..."'
            speaker = inverted_subject(text, match.end(), match.end() + len(tail.rstrip(" \u00a0,:")), names)
        if speaker is None:
            # keep the cue: "..., vowed, "We ..."" is a quote even when its subject is unread
            unnamed = unnamed or (Attribution(None, match.group()), reported)
            continue
        return Attribution(speaker, match.group()), reported
    return unnamed


def attribution_after(text: str, lo: int, hi: int, names: ArticleNames) -> Attribution | None:
    """'..., X said', '..., said X', '..., X, a Y, said', '..., according to X' after a quote."""
    clause = text[lo:hi]
    stripped = clause.lstrip(" \u00a0,;:—–-'’\"”")
    if not stripped:
        return None
    offset = lo + len(clause) - len(stripped)
    according = re.match(r"according to\s+", stripped, re.IGNORECASE)
    if according:
        speaker = inverted_subject(text, offset + according.end(), hi, names)
        return Attribution(speaker, "according to") if speaker else None
    inverted_only = _INVERTED_ONLY_RE.match(stripped)
    if inverted_only:
        return _verbless_attribution(text, offset + inverted_only.end(), hi, inverted_only.group(1), names)
    found = _cues(text, offset, min(hi, offset + 160))
    if not found:
        return None
    verb = found[0]
    if verb.group() in WEAK_CUES and verb.start() > offset and text[verb.end():hi].strip(" .,;"):
        return None  # "the report states that ..." is narration; "a message on the site reads." is not
    subject = text[offset:verb.start()]
    if not subject.strip():
        speaker = inverted_subject(text, verb.end(), hi, names)
        return Attribution(speaker, verb.group()) if speaker else None
    if len(subject.split()) > _MAX_SUBJECT_WORDS or _clause_in(text, offset, verb.start()):
        return None
    speaker = noun_phrase(text, offset, verb.start(), names, first=True)
    return Attribution(speaker, verb.group()) if speaker else None


def _no_subject_before(text: str, lo: int, verb: int) -> bool:
    """Nothing but a conjunction or an adverbial stands before the verb ('But, said X', 'In
    other words, explained X'): the subject, if any, follows it."""
    head = text[lo:verb].strip(" ,\u00a0")
    return not head or bool(LEADING_JUNK_RE.fullmatch(head))


def _clause_in(text: str, lo: int, hi: int) -> bool:
    """Does text[lo:hi] hold a clause word, so that it is narration rather than a subject? An
    'and' between two names joins them ('Ann Cole and Bo Chan wrote')."""
    return any(not (m.group().strip() == "and" and joins_names(text, m))
               for m in CLAUSE_WORD_RE.finditer(text, lo, hi))


def _verbless_attribution(text: str, lo: int, hi: int, cue: str, names: ArticleNames) -> Attribution | None:
    """'„…“, so Berger.': the words up to the first comma (or the clause end) must all be a
    name (capitalised, or a particle of one); a verb there makes it narration ('so Trump went')."""
    head = text[lo:hi].split(",", 1)[0].strip(" .;\u00a0")
    words = head.split()
    if not words or len(words) > 6 or not all(w[:1].isupper() or w in _NAME_LINKS for w in words):
        return None
    speaker = inverted_subject(text, lo, hi, names)
    return Attribution(speaker, cue) if speaker else None


def handed_over(text: str, lo: int, hi: int, names: ArticleNames) -> Attribution | None:
    """A later speaker in the narration between a quote (ending at `lo`) and the next one:
    a second speech verb after the quote's own attribution ("Ebeling said, and her husband
    cut in"), or one in a sentence of its own. Participles don't count: they belong to the
    attribution before them."""
    cues = [m for m in _cues(text, lo, hi) if not m.group().endswith("ing")]
    if not cues:
        return None
    last = cues[-1]
    sentence = clause_start(names.sentence_starts, lo, last.start())
    if sentence <= lo and not (len(cues) >= 2 and _COORDINATED_RE.search(text, cues[-2].end(), last.start())):
        return None  # only the quote's own attribution ("Hooton said after Rubio spoke")
    speaker = _subject_of(text, sentence, last, names, None)
    return Attribution(speaker, last.group()) if speaker is not None else None


def cue_anywhere(text: str, lo: int, hi: int, names: ArticleNames) -> Attribution | None:
    """The first speech verb with a subject in text[lo:hi] (the sentence around a partial)."""
    for match in _cues(text, lo, hi):
        speaker = _subject_of(text, lo, match, names, None)
        if speaker is None and not text[lo:match.start()].strip():
            speaker = inverted_subject(text, match.end(), hi, names)
        if speaker is not None:
            return Attribution(speaker, match.group())
    return None


def speech_cues(text: str, lo: int, hi: int) -> list[re.Match[str]]:
    """Speech verbs used as verbs in text[lo:hi] (see _cues)."""
    return _cues(text, lo, hi)


def subject_of(text: str, lo: int, verb: re.Match[str], names: ArticleNames) -> Speaker | None:
    """The speaker of a speech verb found by speech_cues: its subject, or for a participle
    ('..., saying') the clause's subject."""
    return _subject_of(text, lo, verb, names, None)


def _cues(text: str, lo: int, hi: int) -> list[re.Match[str]]:
    """Speech verbs in text[lo:hi]; a cue word after a determiner or a preposition is a noun
    ("via email", "in a statement", "the report"), not a verb."""
    found = []
    for match in SPEECH_VERB_RE.finditer(text, lo, hi):
        before = text[max(lo, match.start() - 12):match.start()].split()
        if before and before[-1] != "to" and (before[-1] in DETERMINERS or before[-1] in PREPOSITIONS
                                              or before[-1] in _CAPITAL_DETERMINERS):
            continue  # case kept: "Al From said" has a speaker named From
        if before and before[-1].endswith(("'s", "’s")) and match.group().endswith("s") \
                and not match.group().endswith("ss"):
            continue  # "Clinton's remarks", "the party's reports": a plural noun after a possessive
        found.append(match)
    return found


def _subject_of(text: str, lo: int, verb: re.Match[str], names: ArticleNames,
                previous: Previous) -> Speaker | None:
    if verb.group().endswith("ing"):
        # "..., adding" / "saying": the subject is the sentence's, or the speaker of the quote
        # just before in the same sentence
        sentence = clause_start(names.sentence_starts, -1, verb.start())
        speaker = gerund_subject(text, sentence, verb.start(), names) or first_name(text, sentence, verb.start(), names)
        if speaker is None and previous is not None and previous[0] >= sentence:
            return previous[1]
        return speaker
    return subject_left(text, lo, verb.start(), names)


def _according_to(text: str, lo: int, hi: int, names: ArticleNames) -> Attribution | None:
    match = _ACCORDING_RE.search(text, lo, hi)
    if match is None or not text[lo:hi].rstrip().endswith(","):
        return None
    end = text.rfind(",", match.end(), hi)
    speaker = noun_phrase(text, match.end(), end, names, first=True)
    return Attribution(speaker, "according to") if speaker else None


def clause_start(starts: tuple[int, ...], lo: int, hi: int) -> int:
    """The last sentence start in (lo, hi], else lo."""
    k = bisect.bisect_right(starts, hi) - 1
    return starts[k] if k >= 0 and starts[k] > lo else lo
