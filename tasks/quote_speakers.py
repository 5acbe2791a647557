"""Speaker noun phrases: who a stretch of narration names, and how.

Reads "Kremlin aide Yuri Ushakov", "Ms. Merkel's spokesman, Steffen Seibert", "the Kremlin",
"he", "federal prosecutors" into a Speaker: the span as written, the fullest name the article
gives (tasks/quote_names.py), the role, and what kind of speaker it is. Plain functions over
(text, lo, hi) offsets; tasks/quote_cues.py finds where such phrases stand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.quote_lexicon import (
    DETERMINERS, FOREIGN_ARTICLES, FOREIGN_PREPOSITIONS, GERMAN_NOUN_MARKERS, PRONOUNS,
    SUBJECT_PRONOUNS, is_title_word,
)
from tasks.quote_names import (
    NAME_RUN_RE, ORG_WORDS, ArticleNames, resolve_pronoun, resolve_tokens, split_name_run,
)


@dataclass(frozen=True)
class Speaker:
    """A speaker as the narration gives it."""

    as_written: str
    name: str | None
    role: str | None
    kind: str  # "name" | "org" | "pronoun" | "description"


@dataclass(frozen=True)
class Attribution:
    """A speaker and the speech verb that gives them the word (either may be unknown)."""

    speaker: Speaker | None
    cue: str | None


_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "st", "jr", "sr", "prof",
    "rev", "vs", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "inc", "corp", "co", "ltd", "mt", "ft", "sgt", "capt", "adm", "maj", "sens",
    "reps", "etc", "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "u.n", "d.c", "ky", "calif",
    "fla", "ariz", "mass", "va", "pa", "wis", "mich", "minn", "tenn", "ala", "ga", "ill",
    "ind", "la", "md", "mo", "nev", "n.y", "n.j", "n.h", "n.c", "s.c", "okla", "ore", "tex",
    "wash", "colo", "conn", "del", "kan", "neb", "vt", "wyo", "gens", "govs", "messrs", "mses",
})
CLAUSE_WORD_RE = re.compile(
    r"\b(?:and|but|that|when|because|after|while|before|then|so|which|where|if|or|though|"
    r"although|since|until|whom|whose|as)\s|[;:(—–]|\s-\s|--"
)
_INVERTED_END_RE = re.compile(
    r",\s*(?:who|which|adding|according|as|before|after|while|but|and|in|during|noting|"
    r"saying|referring|when|where|because)\b|;|\s[—–]\s|\s--\s|\s\(|"
    r"\s(?:who|which|that|whose|whom|during|after|before|while|in an?|at an?|on)\s|"
    # German: "sagte Sabine Krämer in der Sitzung", "sagte Berger am Dienstag"
    r"\s(?:in (?:der|dem|den|einer|einem)|im|am|beim|bei|auf|gegenüber|während|vor|nach)\s"
)
_RELATIVE_RE = re.compile(r"\s(?:who|which|whose|whom)\s")
_RELATIVE_BEFORE_VERB_RE = re.compile(r",\s*(?:who|whose|which)\b[^,]*(?:,[^,]*)?,\s*$")
_POSSESSIVE_RE = re.compile(r"^(?:'s|’s|’|')(?=\s|$)")
PREPOSITIONS = frozenset({
    "of", "at", "from", "for", "in", "on", "with", "to", "by", "about", "against", "like",
})
_SUBORDINATORS = frozenset({
    "as", "after", "when", "while", "because", "if", "since", "before", "although", "though",
    "once", "until", "unless", "whereas", "whether",
})
_HEAD_FOLLOWERS = frozenset({
    "of", "at", "from", "for", "in", "on", "with", "to", "by", "and", "who", "also", "later",
    "then", "again", "once", "had", "has", "have", "was", "is", "would", "will", "could",
    "himself", "herself", "told", "said", "says", "the", "a", "an", "during", "after",
    "before", "when", "while", "last", "this", "earlier", "recently", "previously", "once",
    "still", "even", "added", "wrote", "tweeted", "just", "too", "first", "jr.",
})
LEADING_JUNK_RE = re.compile(
    r"(?:(?:and|but|so|yet|then|now|also|still|instead|meanwhile|later|earlier|in other words|"
    r"in \d{4}|on \w+day|last \w+|this \w+)\b[\s,]*)+", re.IGNORECASE)
_TRAILING_ADVERB_RE = re.compile(
    r"(?:[\s,]+(?:also|further|later|then|again|once|too|had|has|have|was|is|would|will|"
    r"could|just|even|still|repeatedly|simply|only|[a-z]+ly))+$")
_ORG_CHAIN_RE = re.compile(
    NAME_RUN_RE.pattern + r"(?:\s+(?:of|and|for|&|on)(?:\s+the)?\s+" + NAME_RUN_RE.pattern + r")+")
_SUBJECT_PRONOUN_RE = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
_DESCRIPTION_END_RE = re.compile(r"\s(?:in|at|of|from|for|with|on|who|which|that)\s")


def subject_left(text: str, lo: int, hi: int, names: ArticleNames) -> Speaker | None:
    """The subject right before a verb: the last clause of text[lo:hi]. An appositive or an
    adverbial between name and verb ('X, a Y,' / 'Clinton, exasperated, famously') is walked
    over back to the name; a verb coordinated with an earlier one ('Trump ... leaned in and
    boomed') takes the clause's first name."""
    relative = _RELATIVE_BEFORE_VERB_RE.search(text, lo, hi)
    if relative and relative.start() > lo:
        hi = relative.start()  # "Helen Park, who has voted since 1972, said": skip the clause
    cut = lo
    for match in CLAUSE_WORD_RE.finditer(text, lo, hi):
        if match.group().strip() == "and" and joins_names(text, match):
            continue  # "Library and Information Professionals", "Smith and Jones"
        cut = match.end()
    rest = text[cut:hi].strip(" ,\u00a0")
    if not rest or LEADING_JUNK_RE.fullmatch(rest):  # "..., but now said": a coordinated verb
        return first_name(text, lo, cut, names) if cut > lo else None
    pieces = [p for p in _comma_pieces(text, cut, hi) if text[p[0]:p[1]].strip()]
    last_lo, last_hi = pieces[-1]
    last = text[last_lo:last_hi]
    if _head_name(text, last_lo, last_hi, names) is None and last.strip().lower() not in PRONOUNS:
        for j in range(len(pieces) - 2, max(-1, len(pieces) - 4), -1):
            piece = text[pieces[j][0]:pieces[j][1]].split()
            if not piece or len(piece) > 6 or piece[0].lower() in PREPOSITIONS:
                break
            if piece[0].lower() in _SUBORDINATORS and not (
                    piece[0].lower() == "as" and last.split()[0].lower() in ("a", "an")):
                break  # "As Trump attacked Clinton, the attendees chanted" (but "As X, an expert, noted")
            head = noun_phrase(text, pieces[j][0], pieces[j][1], names, first=False)
            if head is not None and head.kind in ("name", "org"):
                after = text[pieces[j + 1][0]:pieces[j + 1][1]]
                role = head.role or (_role_of(after) if _is_appositive(after) else None)
                return Speaker(text[pieces[j][0]:last_hi].strip(" ,"), head.name, role, head.kind)
            if not _is_appositive(" ".join(piece)) and len(piece) > 2:
                break
    if len(last.split()) > 10:
        return None
    return noun_phrase(text, last_lo, last_hi, names, first=False)


def inverted_subject(text: str, lo: int, hi: int, names: ArticleNames) -> Speaker | None:
    """The noun phrase after the verb in 'said X, a Y, ...' up to a clause break."""
    while lo < hi and text[lo].isspace():
        lo += 1
    end = _INVERTED_END_RE.search(text, lo, hi)
    stop = end.start() if end else hi
    words = text[lo:stop].split()
    if not words:
        return None
    first_word = words[0].lower().rstrip(".,;:!?")  # "sagte er."
    if (not words[0][:1].isupper() and first_word not in DETERMINERS and first_word not in PRONOUNS
            and not any(w[:1].isupper() for w in words[1:4])):
        return None  # "said in a statement" has no subject; "said pollster Frank Luntz" has
    return noun_phrase(text, lo, stop, names, first=True)


def first_name(text: str, lo: int, hi: int, names: ArticleNames) -> Speaker | None:
    """The clause's subject for a participle cue: its first name that is not a possessive and
    not the object of a preposition ("Here in Columbia, Sanders ..., saying")."""
    for match in NAME_RUN_RE.finditer(text, lo, hi):
        if _POSSESSIVE_RE.match(text[match.end():match.end() + 3]):
            continue
        if _after_preposition(text, lo, match.start()):
            continue
        clause = text[max(lo, text.rfind(",", lo, match.start()) + 1):match.start()].split()
        if clause and clause[0].lower() in _SUBORDINATORS:
            continue  # "after Clinton suffered a concussion, Axelrod emailed": not the subject
        speaker = _speaker_from_run(text, lo, match, names)
        if speaker is not None:
            return speaker
    # no name: the last he/she of the clause ("... she laughed and admitted")
    pronouns = list(_SUBJECT_PRONOUN_RE.finditer(text, lo, hi))
    if pronouns:
        word = pronouns[-1]
        return Speaker(word.group(), resolve_pronoun(names, word.group(), word.start()), None, "pronoun")
    return None


_ADVERB_TAIL_RE = re.compile(r"(?:\s+[a-z]+ly)?\s*$")


def gerund_subject(text: str, lo: int, verb: int, names: ArticleNames) -> Speaker | None:
    """The name right before a gerund is its subject, even after a preposition ('a video of
    Trump saying', 'what do you think of Carson privately saying'); one -ly adverb may stand
    between. Not across a comma: '..., saying' belongs to the clause's subject."""
    end = lo + _ADVERB_TAIL_RE.search(text[lo:verb]).start()
    last = None
    for match in NAME_RUN_RE.finditer(text, max(lo, end - 60), end):
        last = match
    if last is None or last.end() != end or last.group().endswith(("'s", "’s")):
        return None  # "Bernie Sanders's declaring": a possessive, as first_name reads it
    before = text[max(lo, last.start() - 20):last.start()].split()
    if before and before[-1].lower() == "the":
        before = before[:-1]
    if before and before[-1].lower() in PREPOSITIONS and before[-1].lower() not in ("of", "with"):
        return None  # "the senator from Pennsylvania saying", "a letter to Lynch asking"
    return _speaker_from_run(text, last.start(), last, names)


def joins_names(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 30):match.start()].split()
    after = text[match.end():match.end() + 30].split()
    return bool(before and after) and before[-1][:1].isupper() and after[0][:1].isupper()


def _comma_pieces(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    pieces, start = [], lo
    for i in range(lo, hi):
        if text[i] == ",":
            pieces.append((start, i))
            start = i + 1
    pieces.append((start, hi))
    return pieces


def _is_appositive(piece: str) -> bool:
    """', a Y,' / ', 59,' / ', chief executive of Z,' / ', Präsidentin des BfN,': a phrase
    describing the name before it."""
    words = piece.split()
    if not words:
        return False
    first = words[0].lower()
    return (first in DETERMINERS or first[:1].isdigit() or first in ("who", "whose", "himself", "herself")
            or is_title_word(first) and (words[0].islower() or len(words) > 1 and words[1].islower()))


def _role_of(appositive: str) -> str:
    """The role an appositive states, without a relative clause ('a sea ice physicist at X who
    was not involved in the study' -> 'a sea ice physicist at X')."""
    return _RELATIVE_RE.split(appositive.strip(), 1)[0].strip(" ,")


def noun_phrase(text: str, lo: int, hi: int, names: ArticleNames, first: bool) -> Speaker | None:
    """Read a speaker noun phrase: a pronoun, a (titled) name, an organisation or a description.

    With several comma pieces ('Ms. Merkel's spokesman, Steffen Seibert'), the name comes from
    the first piece holding one (`first`) or the last; the other pieces give the role.
    """
    lo, hi = _trim_phrase(text, lo, hi)
    phrase = text[lo:hi]
    if not phrase or not first and len(phrase.split()) > 20:
        return None
    if phrase.lower() in PRONOUNS:
        if phrase.lower() not in SUBJECT_PRONOUNS:
            return None
        return Speaker(phrase, resolve_pronoun(names, phrase, lo), None, "pronoun")
    pieces = _comma_pieces(text, lo, hi)
    order = pieces if first else list(reversed(pieces))
    for piece_lo, piece_hi in order:
        head = _head_name(text, piece_lo, piece_hi, names)
        if head is not None:
            others = [text[a:b].strip() for a, b in pieces if (a, b) != (piece_lo, piece_hi)
                      and _is_appositive(text[a:b]) and not text[a:b].strip().isdigit()]
            # "Senator Chuck Schumer, the majority leader" -> "Senator, the majority leader"
            role = ", ".join(r for r in (head.role, _role_of(others[0]) if others else None) if r) or None
            return Speaker(phrase, head.name, role, head.kind)
    return _description(phrase)


def _description(phrase: str) -> Speaker | None:
    """A speaker described, not named: "the crowd", "a Democratic staffer (in the room)",
    "federal prosecutors". Long or verb-like phrases are not speakers."""
    cut = _DESCRIPTION_END_RE.search(phrase)
    if cut:
        phrase = phrase[:cut.start()]
    words = phrase.split()
    if not words or len(words) > 7:
        return None
    first = words[0].lower()
    if first in DETERMINERS or first in GERMAN_NOUN_MARKERS:  # "the minister", "der Minister"
        return Speaker(phrase, None, None, "description")
    if len(words) > 5:
        return None
    if len(words) <= 3 and all(w.isalpha() for w in words) and first not in PRONOUNS:
        plural = words[-1].endswith("s") and not words[-1].endswith(("ss", "'s", "’s")) and len(words[-1]) > 3
        if phrase[:1].isupper() or plural and all(w.islower() for w in words):
            return Speaker(phrase, None, None, "description")
    return None


def _trim_phrase(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Drop spaces, commas, a leading conjunction or adverbial and trailing adverbs
    ("But she further" -> "she")."""
    while lo < hi and text[lo] in " \u00a0,'’\"”":
        lo += 1
    while hi > lo and text[hi - 1] in " \u00a0":
        hi -= 1
    lead = LEADING_JUNK_RE.match(text, lo, hi)
    if lead and lead.end() < hi:
        lo = lead.end()
    elif lead:
        return lo, lo  # "But, said X" / "In other words, explained X": no subject before the verb
    trail = _TRAILING_ADVERB_RE.search(text, lo, hi)
    if trail and trail.start() > lo:
        hi = trail.start()
    while hi > lo and text[hi - 1] in " \u00a0,":
        hi -= 1
    if hi > lo and text[hi - 1] == "." and not is_abbreviation(text, lo, hi - 1):
        hi -= 1  # the full stop of the sentence, not of "Jr." or "Ill."
    return lo, hi


def _head_name(text: str, lo: int, hi: int, names: ArticleNames) -> Speaker | None:
    """The name a piece is about: the last capitalised run that is not a possessive, not a
    modifier of a following noun ('Kremlin aide') and not the object of a preposition; or an
    organisation whose name chains runs with of/and/for ('The Institute of Library and
    Information Professionals')."""
    chain = _ORG_CHAIN_RE.search(text, lo, hi)
    if (chain is not None and not text[chain.end():hi].strip(" ,")
            and _is_org_run(NAME_RUN_RE.match(text, chain.start()).group())
            and not _after_preposition(text, lo, chain.start())):
        name = chain.group()
        if name.split(" ", 1)[0] in ("The", "the"):
            name = name.split(" ", 1)[1]
        return Speaker(text[lo:chain.end()].strip(" ,"), name, None, "org")
    best = None
    for match in NAME_RUN_RE.finditer(text, lo, hi):
        after = text[match.end():hi]
        if _POSSESSIVE_RE.match(after):
            continue
        next_word = after.split(None, 1)[0] if after.strip() else ""
        if next_word[:1].islower() and next_word not in _HEAD_FOLLOWERS and not next_word.endswith("ly"):
            continue
        if _after_preposition(text, lo, match.start()):
            continue
        speaker = _speaker_from_run(text, lo, match, names)
        if speaker is not None:
            best = speaker
    return best


def _after_preposition(text: str, lo: int, start: int) -> bool:
    """Is the name at `start` the object of a preposition ("of the Eurasia Group")?"""
    before_words = text[max(lo, start - 20):start].split()
    if before_words and (before_words[-1].lower() == "the" or before_words[-1] in FOREIGN_ARTICLES):
        before_words = before_words[:-1]  # "of the Eurasia Group", "in der Sitzung"
    return bool(before_words) and (before_words[-1].lower() in PREPOSITIONS
                                   or before_words[-1] in FOREIGN_PREPOSITIONS)


def _is_org_run(run: str) -> bool:
    """'The Chartered Institute', 'Center', 'Department': a run that opens an organisation's
    name (not 'Holger Schmieding' of Berenberg)."""
    words = run.split()
    return words[0] == "The" or any(w.lower() in ORG_WORDS for w in words)


def _speaker_from_run(text: str, lo: int, match: re.Match[str], names: ArticleNames) -> Speaker | None:
    honorifics, titles, tokens = split_name_run(match.group())
    if not tokens:
        return None
    premodifier = text[lo:match.start()].strip(" ,")
    first_word = premodifier.split(" ", 1)[0].lower() if premodifier else ""
    if len(tokens) == 1 and not honorifics and not titles and tokens[0] not in names.full_by_surname \
            and premodifier.split()[-1:] and premodifier.split()[-1] in GERMAN_NOUN_MARKERS:
        return None  # "die Newcomerin", "ihre Hinrichtung": a German noun, capitalised, no name
    if first_word in ("the", "a", "an") and premodifier.lower() == first_word:
        premodifier = ""
        if not honorifics and not titles:
            return Speaker(match.group(), " ".join(tokens), None, "org")
    role_parts = [p for p in (premodifier, " ".join(titles)) if p]
    role = " ".join(role_parts) or None
    name = resolve_tokens(tokens, names.full_by_surname, names.fuller)
    return Speaker(text[lo:match.end()].strip(" ,"), name, role, "name")


def is_abbreviation(text: str, lo: int, dot: int) -> bool:
    begin = max(text.rfind(" ", lo, dot), text.rfind("\n", lo, dot), text.rfind("\u00a0", lo, dot), lo - 1) + 1
    word = text[begin:dot].lstrip("\"“‘'(").lower()
    if len(word) == 1 and word.isalpha():
        return True  # an initial: Donald J. Trump
    return word in _ABBREVIATIONS
