"""General cleanup rules applied to extracted text, one paragraph per line.

Every rule targets a kind of interface residue that news templates share, never one site:
each is described where it is defined, and docs/EXTRACTION.md lists them with what they miss.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice

from lxml.html import HtmlElement

_WORD_RE = re.compile(r"\w+")

# Separators sites put between headline and site name in <title>.
_TITLE_SPLIT_RE = re.compile(r"\s+[|\-–—:·•»]\s+")

# Whole lines that are interface labels, not prose (compared after stripping punctuation).
_LABEL_RE = re.compile(
    r"^(advertisement|advertising|advert|sponsored( content)?|ad|"
    r"give feedback|feedback|send feedback|report an error|"
    r"share|share this( article| story| post| page)?|share on \w+|tweet|pin it|email|e-?mail this|print|"
    r"copy link|link copied|"
    r"\d*\s*comments?|view comments|leave a (comment|reply)|post a comment|add a comment|"
    r"tell us what you think|what do you think|join the (conversation|discussion)|have your say|"
    r"related|related (news|articles?|stories|posts|content|coverage|topics|links|reading)|"
    r"trending|trending (now|news|stories|topics)|most (read|popular|viewed|shared)|"
    r"read more|see more|show more|load more|continue reading|also read|read next|up next|"
    r"recommended( for you)?|you (may|might) also like|more (stories|news|from [\w ]+)|"
    r"don'?t miss|top stories|latest( news)?|next (article|story|post)|previous (article|story|post)|"
    r"tags?|topics?|skip to (main )?content|back to top|loading|close|menu|search|"
    r"follow us|subscribe|sign up|log ?in|register|accept( all)?( cookies)?|"
    r"view this post on instagram|a post shared by .{1,40}|"
    # the same labels in the other languages news sites are most often written in
    r"anzeige|werbung|teilen|artikel teilen|drucken|kommentare|\d*\s*kommentare?|mehr zum thema|"
    r"lesen sie auch|auch interessant|das könnte sie auch interessieren|weitere artikel|empfehlungen|"
    r"meistgelesen|(zum )?hauptinhalt( springen)?|nach oben|sieh dir diesen beitrag auf instagram an|"
    r"publicité|partager|commentaires|lire aussi|à lire aussi|voir aussi|sur le même sujet|les plus lus|"
    r"publicidad|compartir|comentarios|lee también|leer más|te puede interesar|noticias relacionadas|"
    r"lo más leído|pubblicità|condividi|commenti|leggi anche|potrebbe interessarti|articoli correlati|"
    r"publicidade|compartilhar|comentários|leia também|leia mais|veja também|notícias relacionadas)$",
    re.IGNORECASE,
)

# Lines that start with a residue label and carry a linked headline or a list after it.
_LABEL_PREFIX_RE = re.compile(
    r"^(read more|see more|also read|read also|also see|see also|related( news| articles?| stories)?|"
    r"recommended|don'?t miss|more|watch|must read|trending|top stories|most read|"
    r"lesen sie auch|mehr zum thema|auch interessant|lire aussi|à lire aussi|voir aussi|lee también|"
    r"leer más|leggi anche|leia também|leia mais|veja também)\s*[:|»>–—-]\s*\S|"
    r"^also on \S+\.[a-z]{2,}\s+\S",
    re.IGNORECASE,
)
_LABEL_PREFIX_MAX_CHARS = 200

# Headings of blocks of links to other stories: the short lines right after them go too.
_SECTION_HEADING_RE = re.compile(
    r"^\W*(related|trending|recommended|more (stories|news|from|on)|most (read|popular|viewed|shared)|"
    r"top stories|you (may|might) also like|don'?t miss|see also|also read|read more|latest( news)?|"
    r"mehr zum thema|lesen sie auch|auch interessant|weitere artikel|empfehlungen|meistgelesen|"
    r"à lire aussi|lire aussi|sur le même sujet|les plus lus|noticias relacionadas|lo más leído|"
    r"te puede interesar|leggi anche|articoli correlati|leia também|notícias relacionadas|veja também)\b",
    re.IGNORECASE,
)
_HEADLINE_MAX_CHARS = 150

# Every word of the line is a share-bar or social-network word.
_SHARE_WORDS = {
    "share", "shares", "on", "facebook", "twitter", "x", "whatsapp", "linkedin", "pinterest",
    "reddit", "email", "print", "copy", "link", "telegram", "messenger", "tumblr", "flipboard",
    "tweet", "pin", "this", "article", "story", "via", "mail", "sms", "google", "more",
}

# Syndication disclaimers of wire-fed sites (Devdiscourse, NDTV, Business Standard, Yahoo...).
_SYNDICATION_RE = re.compile(
    r"(has not been edited by .{0,60}staff|auto-?generated from an? (syndicated|news|wire|agency) feed|"
    r"published from an? (syndicated|wire|agency) feed|"
    r"(syndicated|wire|agency) feed .{0,40}(not been edited|unedited)|"
    r"only the headline .{0,60}(changed|edited))",
    re.IGNORECASE,
)

_COOKIE_RE = re.compile(
    r"(we use cookies|(this|our) (web)?site uses cookies|by continuing to (browse|use)|"
    r"accept (all )?cookies|cookie (policy|settings|preferences))",
    re.IGNORECASE,
)

# Captions and credits: "Representative Image. Image Credit: ANI", "Photo: AFP/Getty".
_CREDIT_RE = re.compile(
    r"^\(?\s*((representative|file|featured|lead|cover) (image|photo|picture|pic)\b|"
    r"(image|photo|picture|pic|video|graphic|illustration)s?\s*(credit|courtesy|source|by)s?\s*[:/-]|"
    r"(image|photo|picture|pic|credit|credits|source|courtesy)\s*:)",
    re.IGNORECASE,
)
_CREDIT_MAX_CHARS = 160

# Tag lists and taxonomy labels: "Country: Russia", "Tags: a, b, c", "Filed under: ...".
_TAGLINE_RE = re.compile(
    r"^(tags?|topics?|country|countries|categor(y|ies)|filed under|keywords?|labels?|sections?|"
    r"posted in|more on)\s*:",
    re.IGNORECASE,
)
_TAGLINE_MAX_CHARS = 250

# Date stamps of the byline block: "Updated: 08-12-2021 02:41 IST".
_STAMP_RE = re.compile(
    r"^(updated|published|created|posted|last (updated|modified)|first published|modified)"
    r"\s*(on|at)?\s*:?\s*.{0,60}\d.{0,40}$",
    re.IGNORECASE,
)

# Reprint and licensing notices: "This copy is for your personal, non-commercial use only".
_REPRINT_RE = re.compile(
    r"(for your personal,? non-?commercial use only|presentation-ready copies|"
    r"this material may not be (published|reproduced)|all rights reserved\.? (this|no part))",
    re.IGNORECASE,
)

# Bylines left in the text: "By admin - 2018-09-16", "By Jane Doe and John Roe".
_BYLINE_RE = re.compile(
    r"^[Bb]y:?\s+[^\d\s,]+(\s+[^\d\s,]+){0,3}\s*[-|–—]\s*.{0,40}\d.{0,20}$|"
    r"^[Bb]y:?\s+[A-Z][\w.'’-]*(\s+[A-Z][\w.'’-]*){0,3}(\s+(and|&)\s+[A-Z][\w.'’-]*(\s+[A-Z][\w.'’-]*){0,3})?$",
)
_BYLINE_MAX_CHARS = 100

# Unrendered CMS shortcodes: "[button link=...]Send us your review[/button]".
_SHORTCODE_RE = re.compile(r"^\[\w+(\s[^\]]*)?\].*\[/\w+\]$")

# Byline and date blocks flattened into one line: "Reuters | Moscow | Updated: 08-12-2021 02:41 IST",
# "05/10/2018 - Posted by: Jane Doe - Category: Health". Three or more short segments, a digit.
_SEGMENT_SPLIT_RE = re.compile(r"\s+[|•·]\s+|\s+[-–—]\s+")
_META_SEGMENT_MAX_CHARS = 45
_META_SEGMENT_RE = re.compile(
    r"^(posted|published|updated|created|modified|written|publicado|publié|veröffentlicht|aktualisiert|"
    r"by|por|par|von|category|categoria|catégorie|kategorie|tags?|source|fonte|quelle)\b|"
    r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b",
    re.IGNORECASE,
)

_COPYRIGHT_RE = re.compile(r"^(©|\(c\)\s|copyright\b).{0,200}$", re.IGNORECASE)

# Promotions for newsletters, subscriptions and apps (two cues needed, short lines only).
_PROMO_CUE_RE = re.compile(
    r"\b(sign up|signup|subscribe|subscriptions?|newsletters?|download (our|the) app|abonnieren|"
    r"abonnez|suscríbete|iscriviti|assine)\b",
    re.IGNORECASE
)
_PROMO_CONTEXT_RE = re.compile(
    r"\b(inbox|newsletters?|delivered|click here|for as little as|email address|"
    r"get (the|our) (latest|best|top)|latest (news|updates|stories|headlines)|"
    r"kostenlos|verpassen|postfach|gratuit|gratis|boîte mail|correo)\b",
    re.IGNORECASE,
)
_PROMO_MAX_CHARS = 320

# Author contact and social lines: "Follow him on Twitter @x", "Email Jane at jane@site.com".
_CONTACT_RE = re.compile(
    r"(\bfollow (us|him|her|them|me)\b.{0,40}\b(on|at) (twitter|facebook|instagram|x|linkedin|threads)|"
    r"^follow\b.{0,60}\b(on|at) (twitter|facebook|instagram|x|linkedin|threads|bluesky|mastodon)\b|"
    r"\b(email|e-mail|contact|reach) .{0,40}\bat \S+@\S+|may be reached at \S+@|"
    r"\blike this story\?|share (it|this) (with|on) )",
    re.IGNORECASE,
)
_CONTACT_MAX_CHARS = 300

# Links to more stories labelled with a bracketed section tag: "Oil prices rise [VIDEO]".
_BRACKET_TAG_RE = re.compile(r"\[[A-Z][A-Z ]{2,}\]\s*\|?\s*$")
_BRACKET_TAG_MAX_CHARS = 200

# A text none of whose lines has this many words is navigation, not an article.
_PROSE_MIN_WORDS = 6

# A leading summary whose shingles are mostly repeated later is a standfirst, not body.
_SUMMARY_LOOKAHEAD = 3
_SUMMARY_REPEAT_SHARE = 0.8
_SUMMARY_MIN_SHINGLES = 8
_SUMMARY_REPEAT_WINDOW = 8  # a summary is repeated by the first paragraphs, not at the end


_HEADLINE_META = frozenset({"og:title", "twitter:title"})
_SUMMARY_META = frozenset({"description", "og:description", "twitter:description"})


@dataclass(frozen=True)
class PageFacts:
    """What the cleanup needs from the whole page, read in one walk before trafilatura runs."""

    headlines: frozenset[tuple[str, ...]]  # token keys of every form of the headline
    standfirsts: tuple[tuple[str, ...], ...]  # token keys of the page's summary
    link_texts: frozenset[str]  # casefolded texts of the links that read like headlines
    paragraph_prose: int  # characters of prose in the page's <p> elements


def read_page(tree: HtmlElement, title: str | None, description: str | None) -> PageFacts:
    """One walk over the page's headings, paragraphs and links instead of one walk each."""
    first_h1, link_texts, prose = None, set(), 0
    for element in tree.iter("a", "p", "h1"):
        tag = element.tag
        if tag == "a":
            text = headline_link_text(element)
            if text:
                link_texts.add(text)
        elif tag == "p":
            prose += paragraph_prose_chars(element)
        elif first_h1 is None:
            first_h1 = element
    return PageFacts(
        collect_headlines(tree, title, first_h1),
        collect_standfirsts(tree, description),
        frozenset(link_texts),
        prose,
    )


def paragraph_prose_chars(paragraph: HtmlElement) -> int:
    """Characters of a <p> element's text when it is prose (six words or more), else 0."""
    text = " ".join(paragraph.text_content().split())
    return len(text) if is_prose(text) else 0


def collect_headlines(
    tree: HtmlElement, title: str | None, first_h1: HtmlElement | None = None
) -> frozenset[tuple[str, ...]]:
    """Token keys of every form the headline takes on the page (first_h1: the page's first
    <h1> when the caller has found it already)."""
    candidates = [title or ""]
    candidates += meta_contents(tree, _HEADLINE_META)
    if first_h1 is None:
        first_h1 = next(tree.iter("h1"), None)
    if first_h1 is not None:
        candidates.append(first_h1.text_content())
    head = tree.find("head")  # lxml's HTML parser puts the one <head> right under <html>
    page_title = head.findtext("title") if head is not None else None
    if page_title:
        candidates.append(page_title)
        candidates.append(_TITLE_SPLIT_RE.split(page_title.strip())[0])
    return frozenset(key for key in map(token_key, candidates) if len(key) >= 2)


def collect_standfirsts(tree: HtmlElement, description: str | None) -> tuple[tuple[str, ...], ...]:
    """Token keys of the page's summary (description meta tags and the caller's description)."""
    candidates = [description or ""] + meta_contents(tree, _SUMMARY_META)
    keys = {key for key in map(token_key, candidates) if len(key) >= 4}
    return tuple(sorted(keys))


def meta_contents(tree: HtmlElement, names: frozenset[str]) -> list[str]:
    """content of the <head> meta tags whose name or property is in names."""
    head = tree.find("head")
    if head is None:
        return []
    return [
        meta.get("content", "")
        for meta in head.iter("meta")
        if (meta.get("property") or meta.get("name") or "").lower() in names
    ]


def collect_link_texts(tree: HtmlElement) -> frozenset[str]:
    """Casefolded texts of the page's links that read like headlines (three words or more).
    In-page anchors are left out: a table of contents links to the article's own headings."""
    return frozenset(filter(None, map(headline_link_text, tree.iter("a"))))


def headline_link_text(anchor: HtmlElement) -> str:
    """The casefolded text of a link of three words or more, not to an in-page anchor; else ""."""
    if (anchor.get("href") or "").startswith("#"):
        return ""
    words = anchor.text_content().split()
    return " ".join(words).casefold() if len(words) >= 3 else ""


def has_short_run(lines: list[str]) -> bool:
    """Two short lines in a row: the only place a list of links can be (a cheap gate before
    reading every link of the page)."""
    short = [len(line) <= _HEADLINE_MAX_CHARS for line in lines]
    return any(a and b for a, b in zip(short, short[1:]))


def drop_link_lists(lines: list[str], link_texts: frozenset[str]) -> list[str]:
    """Drop runs of two or more lines that are each the whole text of a link: a list of other
    stories that kept no heading. A single linked line may be the article's own."""
    is_link = [line.lstrip("-•*· ").casefold() in link_texts for line in lines]
    kept = []
    for index, line in enumerate(lines):
        in_run = is_link[index] and (
            (index > 0 and is_link[index - 1]) or (index + 1 < len(lines) and is_link[index + 1])
        )
        if not in_run:
            kept.append(line)
    return kept


def token_key(text: str) -> tuple[str, ...]:
    return tuple(word.casefold() for word in _WORD_RE.findall(text or ""))


def clean_lines(
    lines: list[str],
    headlines: frozenset[tuple[str, ...]],
    standfirsts: tuple[tuple[str, ...], ...],
) -> list[str]:
    """Drop the headline and a repeated standfirst from residue-free lines."""
    longest = max(map(len, headlines), default=0)
    # a line with more words than any headline form cannot be one: skip tokenizing it
    lines = [line for line in lines if line.count(" ") >= longest + 8 or token_key(line) not in headlines]
    return drop_standfirst(lines, standfirsts)


def has_prose(lines: list[str]) -> bool:
    """False when no line reads as a sentence: what is left is a menu or a list of labels."""
    return any(map(is_prose, lines))


def is_prose(line: str) -> bool:
    # islice: stop at the sixth word, lines of prose can be long
    return sum(1 for _ in islice(_WORD_RE.finditer(line), _PROSE_MIN_WORDS)) >= _PROSE_MIN_WORDS


def drop_residue(lines: list[str]) -> list[str]:
    """Drop residue lines, and the list of headlines under a "Related"-style heading."""
    kept, in_link_block = [], False
    for line in map(normalize_line, lines):
        if not line:
            continue
        rule = residue_rule(line)
        if rule is not None:
            in_link_block = rule in ("label", "label-prefix") and bool(_SECTION_HEADING_RE.match(line))
            continue
        if in_link_block and is_headline_like(line):
            continue
        in_link_block = False
        kept.append(line)
    return kept


def is_headline_like(line: str) -> bool:
    """Short and not a sentence: how the items of a list of links to other stories read."""
    return len(line) <= _HEADLINE_MAX_CHARS and not line.rstrip("\"'”’)").endswith((".", "!", "?", ":", ";"))


def normalize_line(line: str) -> str:
    return " ".join(line.split())


def is_meta_segments(line: str, bare: str) -> bool:
    segments = _SEGMENT_SPLIT_RE.split(line)
    return (
        len(segments) >= 3
        and all(len(segment) <= _META_SEGMENT_MAX_CHARS for segment in segments)
        and any(ch.isdigit() for ch in line)
        and any(_META_SEGMENT_RE.search(segment) for segment in segments)
    )


def is_promo(line: str, bare: str) -> bool:
    return bool(_PROMO_CUE_RE.search(line) and _PROMO_CONTEXT_RE.search(line))


# (name, longest line the rule applies to, words one of which the casefolded line must contain,
# test). Most residue is short, and the size limits keep a rule from eating a paragraph of prose
# that happens to mention a cue; the substring test is a cheap gate before the costlier regex.
_RESIDUE_RULES = (
    ("no-words", None, None, lambda line, bare: not _WORD_RE.search(line)),
    ("syndication", None, ("edited", "feed"), lambda line, bare: _SYNDICATION_RE.search(line)),
    ("label", 60, None, lambda line, bare: _LABEL_RE.match(bare)),
    ("label-prefix", _LABEL_PREFIX_MAX_CHARS, None, lambda line, bare: _LABEL_PREFIX_RE.match(bare)),
    ("share-bar", 200, ("share",), lambda line, bare: is_share_bar(bare)),
    ("cookie", 400, ("cookie", "continuing to"), lambda line, bare: _COOKIE_RE.search(line)),
    ("credit", _CREDIT_MAX_CHARS, None, lambda line, bare: _CREDIT_RE.match(bare)),
    ("tag-list", _TAGLINE_MAX_CHARS, (":",), lambda line, bare: _TAGLINE_RE.match(bare)),
    ("date-stamp", 120, None, lambda line, bare: _STAMP_RE.match(bare)),
    ("byline", _BYLINE_MAX_CHARS, ("by",), lambda line, bare: _BYLINE_RE.match(bare)),
    ("shortcode", 400, ("[/",), lambda line, bare: _SHORTCODE_RE.match(line)),
    ("meta-segments", 200, (" | ", " - ", " – ", " — ", " • ", " · "), is_meta_segments),
    ("copyright", 220, ("©", "(c)", "copyright"), lambda line, bare: _COPYRIGHT_RE.match(bare)),
    ("reprint", 400, ("commercial use", "presentation-ready", "may not be", "rights reserved"),
     lambda line, bare: _REPRINT_RE.search(line)),
    ("promo", _PROMO_MAX_CHARS, ("sign", "subscri", "newsletter", "download", "abonn", "suscr", "iscriv", "assin"),
     is_promo),
    ("contact", _CONTACT_MAX_CHARS, ("follow", "@", "like this story", "share it", "share this"),
     lambda line, bare: _CONTACT_RE.search(line)),
    ("bracket-tag", _BRACKET_TAG_MAX_CHARS, ("]",), lambda line, bare: _BRACKET_TAG_RE.search(line)),
)


def residue_rule(line: str) -> str | None:
    """Name of the first residue rule the line matches, None for a line of prose."""
    bare = line.strip(" \t.:;!?|·•»>-–—()[]*#")
    lowered = line.casefold()
    size = len(line)
    for name, max_chars, needles, test in _RESIDUE_RULES:
        if max_chars is not None and size > max_chars:
            continue
        if needles is not None and not any(needle in lowered for needle in needles):
            continue
        if test(line, bare):
            return name
    return None


def is_share_bar(bare: str) -> bool:
    words = [word.casefold() for word in _WORD_RE.findall(bare)]
    return bool(words) and "share" in words[:2] + words[-1:] and all(w in _SHARE_WORDS for w in words)


def drop_standfirst(lines: list[str], standfirsts: tuple[tuple[str, ...], ...]) -> list[str]:
    """Drop leading lines that the body repeats: a standfirst or summary above the article."""
    kept = []
    for index, line in enumerate(lines):
        following = lines[index + 1 : index + 1 + _SUMMARY_REPEAT_WINDOW]
        if index < _SUMMARY_LOOKAHEAD and not kept and is_standfirst(line, following, standfirsts):
            continue
        kept.append(line)
    return kept


def is_standfirst(line: str, rest: list[str], standfirsts: tuple[tuple[str, ...], ...]) -> bool:
    # A line that is the page's description may be short; any other line needs enough words
    # for repetition to mean something.
    min_shingles = 1 if token_key(line) in standfirsts else _SUMMARY_MIN_SHINGLES
    return repeated_share(line, rest, min_shingles) >= _SUMMARY_REPEAT_SHARE


def repeated_share(line: str, rest: list[str], min_shingles: int = 1) -> float:
    """Share of the line's 4-word shingles that occur again in the following lines."""
    own = shingles(token_key(line))
    if sum(own.values()) < min_shingles:
        return 0.0
    later = Counter()
    for other in rest:
        later.update(shingles(token_key(other)))
    return sum((own & later).values()) / sum(own.values())


def shingles(tokens: tuple[str, ...]) -> Counter:
    return Counter(tokens[i : i + 4] for i in range(max(0, len(tokens) - 3)))
