"""Names in an article: capitalised runs, the fullest form of each person's name, gender from
honorifics and given names, and the person a he/she refers to.

Plain functions; an ArticleNames value is built once per article by index_names().
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from tasks.quote_lexicon import (
    FEMALE_GIVEN_NAMES, FEMALE_HONORIFICS, FEMALE_PRONOUNS, HONORIFICS, MALE_GIVEN_NAMES,
    MALE_HONORIFICS, MALE_PRONOUNS, NAME_STOP_WORDS, TITLE_WORDS, is_title_word,
)

_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĜĞĠĢĤĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŜŞŠŢŤŪŮŰŲŹŻŽ"
# Inside a run a token may end in a dot only when it is short (Mr., Gov., J., Jr.): a longer
# word with a dot ends its sentence ("... Hillary Clinton. Gov. Chris Christie ...").
_INNER_TOKEN = rf"(?:[{_UPPER}][a-z]{{0,3}}\.|[{_UPPER}][\w'’\-]*+(?!\.))"  # *+: no backtracking
_LAST_TOKEN = rf"[{_UPPER}][\w'’\-]*\.?"
# not German der/den/das: between two capitalised words they are articles ("Präsident der Stadt")
_CONNECTOR = r"(?:de|del|della|van|von|da|di|du|la|le|bin|al|el|dos|ibn)"
_SEP = rf"[ \u00a0]+(?:{_CONNECTOR}[ \u00a0]+)?"
NAME_RUN_RE = re.compile(
    rf"(?<![\w'’])(?:{_INNER_TOKEN}(?:{_SEP}{_INNER_TOKEN})*(?:{_SEP}{_LAST_TOKEN})?|{_LAST_TOKEN})"
)
# stop words that are also surnames: kept at the end of a run (Al From) and when alone
_PREPOSITION_NAMES = frozenset({"from", "long", "young", "little", "west", "early", "march", "may"})
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
# Words that make a capitalised run an organisation or a place, not a person.
ORG_WORDS = frozenset({
    "department", "house", "party", "committee", "court", "university", "association", "times",
    "news", "post", "journal", "county", "state", "states", "street", "council", "agency",
    "office", "inc", "inc.", "corp", "corp.", "group", "campaign", "republicans", "democrats",
    "congress", "senate", "administration", "ministry", "company", "institute", "center",
    "centre", "foundation", "bank", "club", "network", "press", "union", "city", "church",
    "service", "fund", "school", "college", "commission", "board", "police", "army", "navy",
    "republic", "kingdom", "nations", "airport", "station", "review", "magazine", "channel",
    "tribune", "herald", "daily", "weekly", "online", "media", "tv", "radio", "pac", "gop",
    "america", "europe", "africa", "asia", "island", "islands", "river", "square", "hall",
})


@dataclass(frozen=True)
class ArticleNames:
    """Per-article name index: full names by surname, genders, and where each capitalised
    run stands (pronouns are resolved by walking back over those runs)."""

    full_by_surname: dict[str, str]
    fuller: dict[str, str]  # "Donald Trump" -> "Donald J. Trump" when the article writes both
    gender: dict[str, str]  # full name -> "m" | "f"
    run_pos: tuple[int, ...]  # offsets of capitalised runs, ascending
    run_text: tuple[str, ...]
    person: dict[str, str]  # run -> the person it names, for runs that name a person
    quoted: tuple[tuple[int, int], ...]  # quoted content, ascending: mentions there don't count
    sentence_starts: tuple[int, ...]


def _norm(token: str) -> str:
    return token.lower().rstrip(".")


def split_name_run(run: str) -> tuple[list[str], list[str], list[str]]:
    """Split a capitalised run into (honorifics, title words, name tokens).

    "President Vladimir Putin" -> ([], ["President"], ["Vladimir", "Putin"]);
    "Mr. Trump" -> (["Mr."], [], ["Trump"]); "The Kremlin" -> ([], [], ["Kremlin"]).
    """
    tokens = run.split()
    if tokens[-1].endswith(("'s", "’s")) and len(tokens[-1]) > 3:
        tokens[-1] = tokens[-1][:-2]  # "Mrs. Schlafly's pronouncements": the person is Schlafly
    last = tokens[-1]
    if last.endswith(".") and len(last) > 3:
        low = last[:-1].lower()
        if low not in _SUFFIXES and low not in HONORIFICS:
            tokens[-1] = last[:-1]  # the sentence's full stop, not an initial or "Jr."
    if len(tokens) == 1:  # the common case, kept cheap
        low = tokens[0].lower().rstrip(".")
        if low in NAME_STOP_WORDS and low not in _PREPOSITION_NAMES:
            return [], [], []
        if low in HONORIFICS:
            return [tokens[0]], [], []
        return ([], [tokens[0]], []) if is_title_word(low) and low not in TITLE_WORDS else ([], [], tokens)
    honorifics: list[str] = []
    titles: list[str] = []
    while tokens:
        low = _norm(tokens[0])
        if low in HONORIFICS:
            honorifics.append(tokens.pop(0))
        elif is_title_word(low) and len(tokens) > 1:
            titles.append(tokens.pop(0))
        elif low in NAME_STOP_WORDS and not honorifics and not titles:
            tokens.pop(0)
        else:
            break
    while len(tokens) > 1 and _norm(tokens[-1]) in NAME_STOP_WORDS and _norm(tokens[-1]) not in _PREPOSITION_NAMES:
        tokens.pop()  # "Al From", "Neil Young" keep their last word
    return honorifics, titles, tokens


def surname_of(tokens: list[str]) -> str:
    """The last token that is not a suffix: "Sammy Davis Jr." -> "Davis"."""
    for token in reversed(tokens):
        if token.lower().rstrip(".") not in _SUFFIXES:
            return token.rstrip(".,")
    return ""


def is_person_tokens(tokens: list[str]) -> bool:
    """Two to five capitalised tokens with no organisation word: how person names look."""
    if not 2 <= len(tokens) <= 5:
        return False
    if any(_norm(t) in ORG_WORDS for t in tokens):
        return False
    return not all(t.isupper() and len(t) > 1 for t in tokens)


def _gender_of(honorifics: list[str], tokens: list[str]) -> str | None:
    male = any(_norm(h) in MALE_HONORIFICS for h in honorifics)
    female = any(_norm(h) in FEMALE_HONORIFICS for h in honorifics)
    if male != female:  # both: a surname two people share (Mr. Khan and Ms. Khan)
        return "m" if male else "f"
    first = _norm(tokens[0]) if tokens else ""
    if first in MALE_GIVEN_NAMES:
        return "m"
    if first in FEMALE_GIVEN_NAMES:
        return "f"
    return None


def index_names(text: str, quoted: list[tuple[int, int]], sentence_starts: tuple[int, ...]) -> ArticleNames:
    """Index the names of an article: the fullest form of each person's name (the most
    frequent full form of a surname, the first one on a tie), genders, and run positions."""
    found = [(m.start(), m.group()) for m in NAME_RUN_RE.finditer(text)]
    # in order of first appearance: the genders and fullest forms below must not depend on
    # set order (hash seeds differ between processes)
    parts_by_run = {run: split_name_run(run) for run in dict.fromkeys(run for _, run in found)}
    kept = [(pos, run) for pos, run in found if parts_by_run[run][2]]
    positions = [pos for pos, _ in kept]
    texts = [run for _, run in kept]
    run_counts = Counter(texts)
    first_pos = dict(zip(reversed(texts), reversed(positions)))
    person_runs = {run: " ".join(parts[2]) for run, parts in parts_by_run.items() if is_person_tokens(parts[2])}
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for run, full in person_runs.items():
        if run in run_counts:
            counts[full] += run_counts[run]
            first_seen[full] = min(first_seen.get(full, first_pos[run]), first_pos[run])
    honorifics_by_surname: dict[str, list[str]] = {}
    for honorifics, _titles, tokens in parts_by_run.values():
        if honorifics and tokens:
            honorifics_by_surname.setdefault(surname_of(tokens), []).extend(honorifics)
    full_by_surname: dict[str, str] = {}
    for full in sorted(counts, key=lambda f: (-counts[f], first_seen[f])):
        full_by_surname.setdefault(surname_of(full.split()), full)
    fuller = _fuller_forms(list(counts))
    # runs of several words that are no person's name resolve to themselves and name nobody
    resolved = {run: resolve_tokens(parts[2], full_by_surname, fuller) for run, parts in parts_by_run.items()
                if len(parts[2]) == 1 or run in person_runs or parts[0]}
    gender = _genders(counts, parts_by_run, honorifics_by_surname, resolved)
    known = set(full_by_surname.values())
    person = {run: name for run, name in resolved.items()
              if name and (run in person_runs or name in known
                           or bool(parts_by_run[run][0]) and len(parts_by_run[run][2]) == 1)}
    return ArticleNames(full_by_surname, fuller, gender, tuple(positions), tuple(texts), person,
                        tuple(sorted(quoted)), sentence_starts)


def _genders(counts: Counter[str], parts_by_run: dict, honorifics_by_surname: dict[str, list[str]],
             resolved: dict[str, str]) -> dict[str, str]:
    """Gender of each person from the honorifics the article gives them or their given name."""
    gender: dict[str, str] = {}
    for full in counts:
        tokens = full.split()
        found = _gender_of(honorifics_by_surname.get(surname_of(tokens), []), tokens)
        if found:
            gender[full] = found
    by_name: dict[str, tuple[list[str], list[str]]] = {}
    for run, (honorifics, _titles, tokens) in parts_by_run.items():
        if honorifics and tokens and resolved[run] not in gender:
            by_name.setdefault(resolved[run], ([], tokens))[0].extend(honorifics)
    for name, (honorifics, tokens) in by_name.items():
        found = _gender_of(honorifics, tokens)  # Mr. Khan and Ms. Khan: not known
        if found:
            gender[name] = found
    return gender


def _fuller_forms(names: list[str]) -> dict[str, str]:
    """Map a name to a longer one with the same first and last token ("Donald J. Trump")."""
    by_ends: dict[tuple[str, str], list[str]] = {}
    for name in names:
        tokens = name.split()
        by_ends.setdefault((tokens[0], surname_of(tokens)), []).append(name)
    fuller: dict[str, str] = {}
    for group in by_ends.values():
        if len(group) > 1:
            longest = max(group, key=lambda n: (len(n.split()), len(n)))
            for name in group:
                if len(name.split()) < len(longest.split()):
                    fuller[name] = longest
    return fuller


def resolve_tokens(tokens: list[str], full_by_surname: dict[str, str], fuller: dict[str, str]) -> str:
    """The fullest name the article gives for these name tokens (Biden -> Joe Biden)."""
    if not tokens:
        return ""
    name = " ".join(tokens)
    if len(tokens) == 1:
        return full_by_surname.get(tokens[0].rstrip(".,"), name)
    return fuller.get(name, name)


def _is_quoted(names: ArticleNames, pos: int) -> bool:
    k = bisect.bisect_right(names.quoted, (pos, float("inf"))) - 1
    return k >= 0 and names.quoted[k][0] <= pos < names.quoted[k][1]


def resolve_pronoun(names: ArticleNames, pronoun: str, pos: int) -> str | None:
    """The person a he/she at `pos` refers to: the first agreeing person named in the current
    sentence before it, else in the sentences before, nearest first (subjects come first).
    Names inside quoted content are skipped: a name a speaker utters is not who the
    narration is about."""
    low = pronoun.lower()
    if low not in MALE_PRONOUNS and low not in FEMALE_PRONOUNS:
        return None
    want = "m" if low in MALE_PRONOUNS else "f"
    hi = bisect.bisect_left(names.run_pos, pos)
    sentence = bisect.bisect_right(names.sentence_starts, pos) - 1
    for _ in range(6):
        if hi == 0:
            return None
        lo_pos = names.sentence_starts[sentence] if sentence >= 0 else 0
        lo = bisect.bisect_left(names.run_pos, lo_pos, 0, hi)
        for k in range(lo, hi):
            name = names.person.get(names.run_text[k])
            if name and names.gender.get(name, want) == want and not _is_quoted(names, names.run_pos[k]):
                return name
        if sentence <= 0:
            break
        hi = lo
        sentence -= 1
    return None
