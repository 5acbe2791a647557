"""Quotes and speakers: who said what, resolved to the fullest name the article gives.

`extract_quotes(text)` takes article text (one paragraph per line, or paragraphs separated by
blank lines) and returns frozen Quote values. Plain functions, rules only: quotation marks are
found by tasks/quote_marks.py, names by tasks/quote_names.py, word lists live in
tasks/quote_lexicon.py. docs/QUOTES.md documents the rules and their limits.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from tasks.quote_content import reported_clause
from tasks.quote_cues import (
    Previous, attribution_after, clause_start, cue_anywhere, cue_before, handed_over, speech_cues,
)
from tasks.quote_indirect import find_reported_speech
from tasks.quote_lexicon import (
    FOREIGN_PREPOSITIONS, HONORIFICS, NAME_STOP_WORDS, NAMING_RE, PRONOUNS, SPEECH_FORMS,
)
from tasks.quote_marks import Paragraph, Span, find_spans, split_paragraphs
from tasks.quote_names import ArticleNames, index_names
from tasks.quote_speakers import (
    PREPOSITIONS, Attribution, Speaker, first_name, is_abbreviation, subject_left,
)


@dataclass(frozen=True)
class Quote:
    quote: str  # what stands between the marks (trailing comma kept if inside them)
    speaker: str | None  # fullest name the article gives (Biden -> Joe Biden), or an organisation
    speaker_as_written: str | None  # the span as written: "Kremlin aide Yuri Ushakov", "he"
    role: str | None  # "Kremlin aide"
    cue: str | None  # speech verb as written: "said", "warned"
    kind: str  # "direct" | "partial" ("indirect" from extract_reported_speech only)
    start: int  # text[start:end] == quote
    end: int
    paragraph: int  # 0-based paragraph index (non-blank lines)
    confidence: float
    # True when this quote carries on the nearest earlier quote of the same speaker: an
    # utterance interrupted by its attribution ("A," she said. "B."), one utterance in several
    # pieces (PolNeAR annotates it as one quote). A quote running over paragraphs is one Quote.
    continues: bool = False
    # the speech the quote belongs to: for a partial quote the reported clause around the
    # quoted words ("the West would impose "strong ..." on Russia if it invades Ukraine"), for a
    # direct quote start/end themselves (tasks/quote_content.py)
    content_start: int | None = None
    content_end: int | None = None


_UPPER_CLASS = "A-ZÀ-ÖØ-Þ"
_BOUNDARY_RE = re.compile(
    rf"[.!?…]+[\"”’'»)\]]*\s+(?=(?:''|``|[\"“‘'(\[«„])[{_UPPER_CLASS}0-9.…]|[{_UPPER_CLASS}0-9])"
)
_TERMINAL = ".!?…"
_OPENING_MARKS = frozenset("\"“‘'«„`")
_NEW_CLAUSE_RE = re.compile(r"\b(?:though|although|but|and|while|before|after|when|because|then)\b")
_LEADING_CONJUNCTION_RE = re.compile(
    r"^\s*(?:but|and|still|so|yet|however|now|then|also|instead|meanwhile|indeed|again)\b,?\s*",
    re.IGNORECASE)
_DIRECT_END = ".,!?…:;—-"

CONF_ATTRIBUTED = 0.95
CONF_PRONOUN = 0.85
CONF_INTRO = 0.9
CONF_CONTINUED = 0.8
CONF_PARTIAL = 0.7
CONF_INDIRECT = 0.6
CONF_UNATTRIBUTED = 0.4


def extract_quotes(text: str) -> tuple[Quote, ...]:
    """All direct and partial quotes of an article, once each, in text order."""
    paragraphs = split_paragraphs(text)
    spans_by_para = find_spans(text, paragraphs)
    if not any(spans_by_para):
        return ()
    quoted = [(s.start, s.end) for spans in spans_by_para for s in spans if s.double]
    names = index_names(text, quoted, _sentence_starts(text, paragraphs))
    quotes: list[Quote] = []
    for para, spans in zip(paragraphs, spans_by_para):
        found = _quotes_of_paragraph(text, para, spans, names, quotes)
        if found and quotes and spans[0].carried and found[0].start == spans[0].start:
            # a quote running over paragraphs (an opening mark on each, a closing one only at
            # the end) is one quote: its text runs from the first paragraph to the last
            quotes[-1] = _join_paragraphs(text, quotes[-1], found.pop(0))
        quotes.extend(found)
    return _add_content(text, _drop_repeats(_carry_titles(text, quotes, names)), names.sentence_starts)


def _add_content(text: str, quotes: tuple[Quote, ...], starts: tuple[int, ...]) -> tuple[Quote, ...]:
    """Each quote's content span: the reported clause for a partial quote, else the quote."""
    out = []
    for quote in quotes:
        lo, hi = quote.start, quote.end
        if quote.kind == "partial":
            lo, hi = reported_clause(text, quote.start, quote.end, quote.cue, starts)
        if (lo, hi) != (quote.content_start, quote.content_end):
            quote = replace(quote, content_start=lo, content_end=hi)  # most are set when made
        out.append(quote)
    return tuple(out)


def extract_reported_speech(text: str) -> tuple[Quote, ...]:
    """Reported speech without quotation marks, kind `indirect` ("Ushakov said that the two
    leaders had not discussed ..."): the quote is the reported clause, in text order. Not part
    of extract_quotes, whose output holds direct and partial quotes only."""
    paragraphs = split_paragraphs(text)
    spans_by_para = find_spans(text, paragraphs)
    quoted = [(s.start, s.end) for spans in spans_by_para for s in spans if s.double]
    names = index_names(text, quoted, _sentence_starts(text, paragraphs))
    out = []
    for found in find_reported_speech(text, paragraphs, spans_by_para, names):
        quote = _make(dict(quote=text[found.start:found.end], start=found.start, end=found.end,
                           paragraph=found.paragraph), found.attribution, "indirect",
                      _confidence(found.attribution, CONF_INDIRECT))
        out.append(replace(quote, content_start=found.start, content_end=found.end))
    return tuple(out)


_TITLE_BOUNDARY_RE = re.compile(r"[.!?;:,\"“”„«»()\n]|\s[-—–]\s")


def _carry_titles(text: str, quotes: list[Quote], names: ArticleNames) -> list[Quote]:
    """A title written before a person's name is their role through the article: 'City
    engineer Miguel Santos said ...' gives a later 'Santos said' the role 'City engineer'.
    Only a short phrase opening the clause counts; an appositive ('X, the FAA's deputy
    administrator,') describes one mention and is not carried."""
    titles: dict[str, str | None] = {}
    out = []
    for quote in quotes:
        written = quote.speaker_as_written or ""
        if quote.role is None and quote.speaker and quote.speaker != written and " " in quote.speaker \
                and written.lower() not in PRONOUNS:  # "Santos said", not "he said"
            if quote.speaker not in titles:
                titles[quote.speaker] = _title_before(text, quote.speaker, names)
            if titles[quote.speaker]:
                quote = replace(quote, role=titles[quote.speaker])
        out.append(quote)
    return out


def _title_before(text: str, name: str, names: ArticleNames) -> str | None:
    """The words between the clause start and the first mention of `name`, when they are a
    short capitalised title phrase ('Council member', 'Baubürgermeister')."""
    at = text.find(name)
    if at <= 0:
        return None
    window = text[max(0, at - 60):at]
    cut = max((m.end() for m in _TITLE_BOUNDARY_RE.finditer(window)), default=0)
    if cut == 0 and at > len(window):
        return None  # no clause start within reach: a long phrase, not a title
    words = window[cut:].split()
    while words and (words[0].lower() in NAME_STOP_WORDS or words[0].lower().rstrip(".") in HONORIFICS):
        words.pop(0)  # "Deren Vorsitzender", "The", "Prof" (an honorific is not a role)
    if not 1 <= len(words) <= 3 or not words[0][:1].isupper():
        return None
    if any(w in SPEECH_FORMS or w.lower() in PREPOSITIONS or w in FOREIGN_PREPOSITIONS
           or w.lower() in ("and", "&", "or", "und") for w in words):
        return None  # "Khizr and Ghazala Khan" names two people, not a title
    if any(f"{a} {b}" in names.person for a, b in zip(words, words[1:])):
        return None  # a headline's "Hillary Clinton Slams Donald Trump"
    return " ".join(words)


def _join_paragraphs(text: str, head: Quote, tail: Quote) -> Quote:
    joined = replace(head, quote=text[head.start:tail.end], end=tail.end)
    if head.speaker_as_written is None and tail.speaker_as_written is not None:
        joined = replace(joined, speaker=tail.speaker, speaker_as_written=tail.speaker_as_written,
                         role=tail.role, cue=tail.cue, kind="direct", confidence=tail.confidence)
    return joined


def _sentence_starts(text: str, paragraphs: tuple[Paragraph, ...]) -> tuple[int, ...]:
    """Every paragraph start and sentence start, ascending (one pass over the text)."""
    starts = {para.start for para in paragraphs}
    starts.update(_boundaries(text, 0, len(text)))
    return tuple(sorted(starts))


def _boundaries(text: str, lo: int, hi: int) -> list[int]:
    """Sentence starts inside text[lo:hi], skipping abbreviations and initials (Mr., J., U.S.)."""
    found = []
    # look three characters past `hi` so the lookahead sees the mark that opens the next sentence
    for match in _BOUNDARY_RE.finditer(text, lo, min(len(text), hi + 3)):
        if match.end() > hi:
            break
        if text[match.start()] == "." and is_abbreviation(text, lo, match.start()) \
                and text[match.end():match.end() + 1] not in _OPENING_MARKS:
            continue  # "Mr. Trump" goes on; "Springfield, Ill. “I just want...”" does not
        found.append(match.end())
    return found


# ---------------------------------------------------------------- paragraph analysis


def _quotes_of_paragraph(text: str, para: Paragraph, spans: list[Span], names: ArticleNames,
                         earlier: list[Quote]) -> list[Quote]:
    out: list[Quote] = []
    for k, span in enumerate(spans):
        prev_close = spans[k - 1].close if k else para.start
        next_open = spans[k + 1].open if k + 1 < len(spans) else para.end
        quote = _analyse_span(text, para, span, prev_close, next_open, names, earlier + out, k)
        if quote is not None:
            out.append(quote)
    return _borrow_later_speakers(out)


def _analyse_span(text: str, para: Paragraph, span: Span, prev_close: int, next_open: int,
                  names: ArticleNames, before: list[Quote], k: int) -> Quote | None:
    content = text[span.start:span.end]
    pre_lo = clause_start(names.sentence_starts, prev_close, span.open)
    sentence_start = not text[pre_lo:span.open].strip(" \u00a0([—–-") and (
        k == 0 or pre_lo > prev_close or _ends_terminal(text, prev_close))
    post_hi = _clause_end(text, names.sentence_starts, span.close, next_open)
    base = dict(quote=content, start=span.start, end=span.end, paragraph=para.index,
                content_start=span.start, content_end=span.end)
    if span.carried and before and before[-1].speaker_as_written is not None:
        return _continue(before[-1], base, CONF_CONTINUED)
    if span.carried and before:
        # the quote that runs into this paragraph has no speaker yet: its attribution may
        # follow the last piece ('"A.\n"B," she said.')
        found = _analyse_span(text, para, replace(span, carried=False), prev_close, next_open, names, before, k)
        return found or _continue(before[-1], base, CONF_CONTINUED)
    if _is_name_or_title(text, para, span, content):
        characterised = _characterisation(text, para, span, content, names)
        return _make(base, characterised, "partial", CONF_PARTIAL) if characterised else None
    # a quote ending in a full stop ends its sentence: what follows is not its attribution
    ended = content.rstrip("'’\"” ")[-1:] == "."
    after = None if ended else attribution_after(text, span.close, post_hi, names)
    if sentence_start:
        return _sentence_start_quote(text, para, span, content, after, post_hi, names, before, base)
    quote = _mid_sentence_quote(text, para, span, content, pre_lo, after, post_hi, names, before, base)
    if quote is not None and pre_lo == prev_close and k > 0 and _resumes(text, before, quote, prev_close):
        # "The benefit of being from North Dakota," Traynor said, "is being for whoever...":
        # the attribution interrupts one sentence, the second piece carries on the first
        quote = replace(quote, continues=True, kind=before[-1].kind)
    return quote


def _resumes(text: str, before: list[Quote], quote: Quote, prev_close: int) -> bool:
    """Does this quote carry on the one just before, its attribution standing in between
    ('"A," Rubio said, "b..."')? Not when the narration in between starts a new clause
    ('"A," Ryan said, though he said, "I hope to."')."""
    if not before:
        return False
    last = before[-1]
    between = text[prev_close:quote.start]
    return (last.paragraph == quote.paragraph and prev_close - 3 <= last.end <= prev_close
            and last.quote.endswith(",") and last.speaker == quote.speaker
            and not (last.kind == "partial" and quote.kind == "direct")
            and not _NEW_CLAUSE_RE.search(between)
            and (len(between.split()) <= 8 or quote.quote[:1].islower()))


# words that open an attribution's subject after a quote ('"We won" his wife, Ana, said')
_SUBJECT_LEADS = frozenset({
    "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "he", "she", "they",
    "we", "i", "it", "one", "another",
})


def _names_a_work(text: str, span: Span, content: str, pre: str,
                  intro: tuple[Attribution, bool] | None, post_hi: int) -> bool:
    """A Title Case stretch inside a sentence names a work or a slogan, also in apposition
    after a comma ('write a book, "Who's Who in the CIA," that outed agents'); but a speech verb
    right before it quotes it ('protesters chanted, "Red for Ed," in the hallway')."""
    if not _is_title_case(content):
        return False
    if pre[-1:] not in ":,":
        return True
    cue_ends = intro is not None and bool(intro[0].cue) and pre.rstrip(" ,:").endswith(intro[0].cue)
    return not cue_ends and _narration_follows(text, span.close, post_hi, content.rstrip(","))


_LIST_OF_QUOTES_RE = re.compile(r"\s*,?\s*(?:and|or)\s+(?:''|``|[\"“‘'«„])")


def _narration_follows(text: str, close: int, hi: int, content: str) -> bool:
    """Does the narration carry the quote's sentence on past the closing mark ('"... worked so
    hard" for the victory, Sanders said', 'said, "I have not heard that concern" from
    officials')? Then the quoted words stand inside a sentence of the narration: the speech is
    partial. Not when the quote ends in punctuation of its own ('"We won," and ...') or the
    attribution follows the mark ('"We won" he said', '"..." the senator said')."""
    if _LIST_OF_QUOTES_RE.match(text, close, min(len(text), hi + 3)):
        return True  # 'chanted, "Send them home," and "Build the wall."': one content, in pieces
    if not content[-1:].isalnum():
        return False
    trailing = text[close:hi].split(None, 1)
    if not trailing or not trailing[0][:1].islower():
        return False
    cues = speech_cues(text, close, hi)
    if not cues:
        return True
    # '"We won" he said', '"We won" his wife, Ana, said' are the attribution
    return trailing[0] not in _SUBJECT_LEADS and "," in text[close:cues[0].start()]


def _ends_terminal(text: str, close: int) -> bool:
    """Did the quote that closed at `close` end its sentence (“We won.” ...)?"""
    inside = text[max(0, close - 3):close].rstrip("\"”’'»` ")
    return inside[-1:] in _TERMINAL


def _clause_end(text: str, starts: tuple[int, ...], lo: int, hi: int) -> int:
    """The first sentence start in (lo, hi], else hi. A start right after `lo` (a quote that
    ends in ? or !, then "Trump asked.") does not end the clause: the caller decides."""
    k = bisect.bisect_right(starts, lo)
    if k < len(starts) and starts[k] <= hi and not text[lo:starts[k]].strip():
        k += 1
    return starts[k] if k < len(starts) and starts[k] <= hi else hi


def _is_name_or_title(text: str, para: Paragraph, span: Span, content: str) -> bool:
    """Titles, labels and nicknames in quotation marks are not quotes."""
    before = text[max(para.start, span.open - 40):span.open]
    if NAMING_RE.search(before):
        return True
    last_word = before.rstrip().rsplit(None, 1)[-1:] if before.strip() else []
    if last_word and _is_title_case(content) and (
            last_word[0].lower() in _TITLE_LEADS or last_word[0].endswith(("'s", "’s"))):
        return True  # on "Face the Nation", CBS's "60 Minutes", in "The Art of the Deal"
    words = content.split()
    if len(words) <= 3 and content[-1:] not in _DIRECT_END:
        prev_word = before.rstrip().rsplit(" ", 1)[-1:]
        after = text[span.close:span.close + 30].lstrip()
        # Donald "The Donald" Trump, Fox's "Sunday Morning Futures"
        if prev_word and prev_word[0][:1].isupper() and after[:1].isupper() and not prev_word[0].endswith((":", ".", ",")):
            return True
    return False


_CHARACTERISING_RE = re.compile(
    r"\b(?P<verb>called|calls|calling|described|describes|describing|dismissed|dismisses|dismissing)\b"
    r"[^;:!?\"“”«»]{0,80}?\s*$")
_COPULAS = frozenset({"is", "was", "are", "were", "be", "been", "being", "so", "also", "now", "often"})


def _characterisation(text: str, para: Paragraph, span: Span, content: str,
                      names: ArticleNames) -> Attribution | None:
    """'Trump called Ford's plans "an absolute disgrace,"', 'what he called "our arguments"',
    'Early described it as "news to me."', 'X dismissed the report as "…"': a person
    characterising something in their own words is quoted (partial), unlike a naming ('a group
    called "X"', 'is called "X"')."""
    if _is_title_case(content):
        return None  # 'she called it "The Art of the Deal"' names a work
    lo = max(para.start, span.open - 120)
    match = _CHARACTERISING_RE.search(text, lo, span.open)
    if match is None or (match.group("verb").startswith(("describ", "dismiss"))
                         and not match.group(0).rstrip().endswith(" as")):
        return None
    head = text[lo:match.start()].rstrip(" ,")
    if not head or head.rsplit(None, 1)[-1].lower() in _COPULAS:
        return None  # passive: 'the plan is called "X"'
    if clause_start(names.sentence_starts, match.start(), span.open) > match.start():
        return None  # a sentence ends between the verb and the quote (abbreviations don't)
    clause_lo = clause_start(names.sentence_starts, lo, match.start())
    clause_lo = max(clause_lo, text.rfind(" what ", clause_lo, match.start()) + 5)
    speaker = subject_left(text, clause_lo, match.start(), names)
    if speaker is None or speaker.kind not in ("name", "pronoun"):
        return None
    return Attribution(speaker, match.group("verb"))


def _sentence_start_quote(text: str, para: Paragraph, span: Span, content: str,
                          after: Attribution | None, post_hi: int, names: ArticleNames,
                          before: list[Quote], base: dict) -> Quote | None:
    narrated = _narration_follows(text, span.close, post_hi, content)
    if after is not None:
        # '"... worked so hard" for the victory, Sanders said': the sentence is the narration's
        kind = "partial" if narrated else "direct"
        return _make(base, after, kind, _confidence(after, CONF_PARTIAL if narrated else CONF_ATTRIBUTED))
    if narrated:
        # "He can assert it, but ..." that Sanders can win, said X: quoted words in a sentence
        cue = cue_anywhere(text, span.close, post_hi, names)
        if cue is not None:
            return _make(base, cue, "partial", CONF_PARTIAL)
        # '"A," said X. "B, but they aren't there yet" to support him.': the utterance goes on
        # in the narration's words, so the speech it belongs to is partial
        previous = _previous_direct(text, before, para, False)
        if previous is None or previous.paragraph != para.index:
            return None  # '"Wild Rose" is now available on DVD.' names a work
        return replace(_continue(previous, base, CONF_PARTIAL), kind="partial")
    if _looks_like_title(content):
        return None
    if span.open == para.start and para.index > 0:
        intro = _colon_intro(text, span, names, before)
        if intro is not None:
            return _make(base, intro, "direct", _confidence(intro, CONF_INTRO))
    previous = _previous_direct(text, before, para, span.open == para.start)
    if previous is not None:
        switched = handed_over(text, max(previous.end, para.start), span.open, names)
        if switched is not None and switched.speaker is not None and switched.speaker.name != previous.speaker \
                and switched.speaker.as_written != previous.speaker_as_written:
            # '"...," Ebeling said, and her husband cut in. "Don't forget ..."': the narration
            # between the two quotes hands the word to someone else
            return _make(base, switched, "direct", CONF_CONTINUED)
        # '... said Trump had "the obligation to bring us together."' then a paragraph of
        # quote alone: the same speaker goes on, in a direct quote of its own
        return replace(_continue(previous, base, CONF_CONTINUED), kind="direct")
    return Quote(speaker=None, speaker_as_written=None, role=None, cue=None, kind="direct",
                 confidence=CONF_UNATTRIBUTED, **base)


def _mid_sentence_quote(text: str, para: Paragraph, span: Span, content: str, pre_lo: int,
                        after: Attribution | None, post_hi: int, names: ArticleNames,
                        before: list[Quote], base: dict) -> Quote | None:
    intro = cue_before(text, pre_lo, span.open, names, _previous(before))
    pre = text[pre_lo:span.open].rstrip()
    # 'de Blasio said, "I have not heard that particular concern" from officials.'
    narrated = _narration_follows(text, span.close, post_hi, content)
    if _names_a_work(text, span, content, pre, intro, post_hi):
        return None
    ends_sentence = content[-1:] in _DIRECT_END and not text[span.close:post_hi].strip()[:1].islower()
    last_word = pre.rsplit(None, 1)[-1] if pre else ""
    object_of_cue = last_word in SPEECH_FORMS and (
        content[-1:] in _TERMINAL or not text[span.close:post_hi].strip(" ."))
    if intro is not None and not intro[1]:
        attribution = intro[0]
        # '... she laughed and admitted "emails have been wonderful."': the quote is the whole
        # object of the cue and ends the sentence, so it is direct even in lower case
        introduced = (pre[-1:] in ":,—" or (content[:1].isupper() and ends_sentence) or object_of_cue) \
            and not narrated
        if content[:1].islower() and not object_of_cue and "," in _LEADING_CONJUNCTION_RE.sub("", pre[:-1]):
            # "The reality is, he added, 'there are no recusals'": the quote ends a sentence
            # the narration began, so it is quoted words inside reported speech
            introduced = False
        if introduced:
            return _make(base, attribution, "direct", _confidence(attribution, CONF_INTRO))
        if attribution.speaker is not None:
            return _make(base, attribution, "partial", CONF_PARTIAL)
    if pre.endswith(":") and content[:1].isupper() and len(content.split()) >= 4 and not narrated:
        found = intro[0] if intro else after or _colon_speaker(text, pre_lo, pre_lo + len(pre) - 1, names)
        return _make(base, found, "direct", _confidence(found, CONF_INTRO))
    if intro is not None and intro[0].speaker is not None:
        return _make(base, intro[0], "partial", CONF_PARTIAL)
    if after is not None:
        return _make(base, after, "partial", CONF_PARTIAL)
    found = cue_anywhere(text, pre_lo, span.open, names) or _characterisation(text, para, span, content, names)
    if found is not None:
        return _make(base, found, "partial", CONF_PARTIAL)
    if _interjected(text, span, content, pre):
        # 'When Trump wrapped up — "I will win for you!" — the balloons fell': a whole sentence
        # set off by dashes is speech, said by the subject of the clause it interrupts
        clause = text[pre_lo:span.open].rstrip(" —–-")
        found = Attribution(first_name(text, pre_lo, pre_lo + len(clause), names), None)
        return _make(base, found, "direct", _confidence(found, CONF_INTRO))
    if _carries_on(text, para, span, content, pre_lo, before, names):
        # '"A," Trump said. Instead, "he just acts like a defeated man."': the speaker's words
        # go on in the next sentence, finishing the narration's sentence
        return replace(_continue(before[-1], base, CONF_PARTIAL), kind="partial")
    return None


def _interjected(text: str, span: Span, content: str, pre: str) -> bool:
    """A capitalised sentence in marks, ending in its own punctuation, between two dashes."""
    after = text[span.close:span.close + 3].lstrip()
    return (content[:1].isupper() and content[-1:] in _TERMINAL and pre[-1:] in "—–-"
            and after[:1] in ("—", "–", "-") and len(content.split()) >= 3)


def _carries_on(text: str, para: Paragraph, span: Span, content: str, pre_lo: int,
                before: list[Quote], names: ArticleNames) -> bool:
    """Is this lowercase quoted stretch, finishing a sentence that names nobody, the next words
    of the attributed quote of the sentence just before in the same paragraph? A scare quote
    inside the sentence ('a "seamless experience" that ...') is not."""
    if not content[:1].islower() or not before or text[span.close:span.close + 3].strip(" .") \
            and content[-1:] not in _TERMINAL:
        return False
    last = before[-1]
    if last.paragraph != para.index or last.speaker_as_written is None or last.end >= pre_lo:
        return False
    k = bisect.bisect_left(names.sentence_starts, pre_lo)
    if k == len(names.sentence_starts) or names.sentence_starts[k] != pre_lo \
            or clause_start(names.sentence_starts, last.end, pre_lo - 1) != last.end:
        return False  # the same sentence as the quote before, or a sentence of narration between
    lead = text[pre_lo:span.open].split()[1:]
    return not any(word[:1].isupper() for word in lead)


_SMALL_TITLE_WORDS = frozenset({
    "a", "an", "the", "of", "in", "on", "and", "to", "for", "with", "at", "by", "from", "or",
    "is", "are", "as", "but", "&",
})
_TITLE_LEADS = frozenset({
    "on", "in", "of", "for", "from", "at", "to", "with", "by", "the", "a", "an", "book",
    "film", "movie", "show", "program", "programme", "song", "album", "column", "op-ed",
    "article", "essay", "headline", "slogan", "memo", "report", "series", "titled", "entitled",
})


def _is_title_case(content: str) -> bool:
    """Every word but the small ones capitalised, at most 8 words: "Face the Nation."."""
    words = content.rstrip(".,!?").split()
    if not 1 <= len(words) <= 8:
        return False
    significant = [w for w in words if w.lower() not in _SMALL_TITLE_WORDS]
    return bool(significant) and all(w[:1].isupper() or w[:1].isdigit() for w in significant)


def _colon_speaker(text: str, lo: int, colon: int, names: ArticleNames) -> Attribution | None:
    """'Pollsters agree - Carl Bialik: "..."': a name right before the colon speaks; otherwise
    the subject of the sentence's speech verb, if any."""
    speaker = subject_left(text, lo, colon, names)
    if speaker is not None and speaker.kind == "name" and len(speaker.as_written.split()) <= 6 \
            and text[lo:colon].rstrip(" ,").endswith(speaker.as_written):  # not 'Signs of trouble came early:'
        return Attribution(speaker, None)
    found = cue_anywhere(text, lo, colon, names)
    if found is not None:
        return found
    # 'In city after city, Perez lobbies for a higher minimum wage: "No one ..."': the
    # sentence's subject introduces the quote, when it is a person the article names in full
    # (a capitalised sentence opener such as 'Signs' or 'Quando' is no one) or he/she
    subject = first_name(text, lo, colon, names)
    if subject is None or not subject.name or subject.name.split()[-1] not in names.full_by_surname:
        return None
    return Attribution(subject, None)


def _looks_like_title(content: str) -> bool:
    """A short Title Case stretch with no sentence punctuation names a work, not speech."""
    words = content.split()
    if not 1 <= len(words) <= 8 or content[-1:] in _DIRECT_END:
        return False
    capitals = sum(1 for w in words if w[:1].isupper())
    return capitals >= max(1, len(words) - 1)


def _confidence(attribution: Attribution | None, base: float) -> float:
    if attribution is None or attribution.speaker is None:
        return CONF_UNATTRIBUTED
    if attribution.speaker.kind == "pronoun":
        return min(base, CONF_PRONOUN) if attribution.speaker.name else 0.5
    return base


def _make(base: dict, attribution: Attribution | None, kind: str, confidence: float) -> Quote:
    speaker = attribution.speaker if attribution else None
    return Quote(
        speaker=speaker.name if speaker else None,
        speaker_as_written=speaker.as_written if speaker else None,
        role=speaker.role if speaker else None,
        cue=attribution.cue if attribution else None,
        kind=kind, confidence=confidence, **base,
    )


def _continue(previous: Quote, base: dict, confidence: float) -> Quote:
    return Quote(speaker=previous.speaker, speaker_as_written=previous.speaker_as_written,
                 role=previous.role, cue=previous.cue, kind=previous.kind,
                 confidence=min(confidence, previous.confidence), continues=True, **base)


def _previous_direct(text: str, before: list[Quote], para: Paragraph, opens_paragraph: bool) -> Quote | None:
    """The quote this unattributed one carries on: the quote before it in this paragraph (a
    partial one too: "'...,' Mr. X said. '...'" goes on with the same utterance), the direct
    quote of the paragraph before, or a partial quote ending the paragraph before."""
    if not before:
        return None
    last = before[-1]
    for earlier in reversed(before):
        # a scare-quoted word in between ("a 'No-B.S.' barbecue") does not end the utterance
        if earlier.paragraph != para.index or earlier.kind == "direct" or len(earlier.quote.split()) > 4:
            last = earlier
            break
    if last.speaker_as_written is None and not _unattributed_paragraph_before(last, para):
        return None
    if last.paragraph == para.index:
        return last
    if last.paragraph == para.index - 1 and opens_paragraph and (
            last.kind == "direct" or not text[last.end:para.start].strip(" \n\r\t\u00a0.,'’\"”»")):
        return last
    return None


def _unattributed_paragraph_before(last: Quote, para: Paragraph) -> bool:
    """An unattributed direct quote in the paragraph before this paragraph-opening one: a run of
    quoted paragraphs is one utterance even when the article names nobody nearby."""
    return last.paragraph == para.index - 1 and last.kind == "direct" and last.confidence <= CONF_UNATTRIBUTED


def _borrow_later_speakers(quotes: list[Quote]) -> list[Quote]:
    """“A.” “B,” she said. -- the unattributed A takes the speaker named after B."""
    for i in range(len(quotes) - 2, -1, -1):
        first, second = quotes[i], quotes[i + 1]
        if (first.speaker_as_written is None and first.kind == "direct" and second.kind == "direct"
                and second.speaker_as_written is not None and not second.continues):
            quotes[i] = replace(first, speaker=second.speaker,
                                speaker_as_written=second.speaker_as_written, role=second.role,
                                cue=second.cue, confidence=CONF_CONTINUED)
            quotes[i + 1] = replace(second, continues=True)
    return quotes


def _previous(before: list[Quote]) -> Previous:
    """The quote just before as (end offset, speaker), for a cue with no subject of its own."""
    if not before or not before[-1].speaker_as_written:
        return None
    last = before[-1]
    return last.end, Speaker(last.speaker_as_written, last.speaker, last.role, "name")


def _colon_intro(text: str, span: Span, names: ArticleNames, before: list[Quote]) -> Attribution | None:
    """A paragraph-opening quote after a paragraph that ends 'X said:' (or 'said,')."""
    prev_end = span.open - 1
    while prev_end > 0 and text[prev_end - 1] in "\n\r \t":
        prev_end -= 1
    tail = text[max(0, prev_end - 1):prev_end]
    if tail not in (":", ","):
        return None
    line_start = text.rfind("\n", 0, prev_end) + 1
    lo = clause_start(names.sentence_starts, line_start, prev_end)
    intro = cue_before(text, lo, prev_end, names, _previous(before))
    if intro is not None:
        return intro[0]
    return Attribution(subject_left(text, lo, prev_end - 1, names), None) if tail == ":" else None


def _drop_repeats(quotes: list[Quote]) -> tuple[Quote, ...]:
    """A quote repeated in one article (standfirst and body) counts once: the best attributed
    copy stays; a continuation whose head was dropped becomes a head itself."""
    best: dict[str, int] = {}
    for i, quote in enumerate(quotes):
        key = " ".join(quote.quote.casefold().split()).strip(" ,.")
        if key not in best or quote.confidence > quotes[best[key]].confidence:
            best[key] = i
    keep = sorted(best.values())
    dropped = set(range(len(quotes))) - set(keep)
    return tuple(replace(quotes[i], continues=False) if quotes[i].continues and i - 1 in dropped
                 else quotes[i] for i in keep)
