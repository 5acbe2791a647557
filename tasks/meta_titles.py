"""The article title: structured titles checked against the visible headline, site names removed.

Rules (docs/METADATA.md): a structured title (JSON-LD headline, og:title, twitter:title, Dublin
Core, citation_title, parsely/sailthru, <title>) with the site-name part removed wins when a
visible <h1> says the same; an <h2> under a topic <h1> when a structured title confirms the
<h2>; a <h1> that is the first part of the <title> wins next; otherwise the only headline <h1>,
an <h2> on pages without one, the best-ranked structured title, cleaned; then the feed hint.
"""

from __future__ import annotations

import re
from typing import Iterator

from tasks import meta_jsonld
from tasks.meta_page import Page
from tasks.urls import host_of

# CJK titles join the site's name without spaces ("武汉的声音：有英勇的你，才有英雄的城！-新华网")
CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff01-\uff60"
SEPARATOR = re.compile(
    rf"\s+[|–—•·»«/:~-]\s+|\s*\|\s*|\s+::\s+|\s+-{{2}}\s+|(?<=[{CJK}])[-_–—｜](?=[{CJK}A-Za-z])"
)
META_TITLES = (
    ("og:title", "opengraph"),
    ("twitter:title", "meta"),
    ("dc.title", "meta"),
    ("dcterms.title", "meta"),
    ("citation_title", "meta"),
    ("parsely-title", "meta"),
    ("sailthru.title", "meta"),
    ("title", "meta"),
    ("headline", "microdata"),
)
QUOTES = frozenset("\"'„“”‚‘’«»‹›")
# headings of the page's interface, not of an article ("Navigation mit Access Keys", "Hauptmenü")
UI_HEADING = re.compile(r"navigation|men[uü]\b|access ?keys|skip to|springe zu|\bsuche\b|\bsearch\b", re.I)
# a trailing part this short after a title this long is a section or site label ("| World News")
MAX_LABEL_WORDS = 4


def norm(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def site_keys(page: Page, site_name: str | None) -> list[str]:
    keys = [norm(site_name)] if site_name else []
    if page.url:
        host = host_of(page.url).removeprefix("www.")
        keys += [norm(host), norm(host.rsplit(".", 1)[0]), norm(host.split(".")[0])]
    return [k for k in keys if len(k) >= 3]


def names_site(part: str, keys: list[str], strict: bool = False, whole: bool = False) -> bool:
    """``part`` names the site. Loose (title parts): it contains a site key or is part of one.
    Strict (headings): the site key makes up most of it ("MinusL" names minusl.de, "Unsere
    MinusL Joghurts" does not)."""
    p = norm(part)
    if not p:
        return False
    if strict:
        return any(k in p and len(k) >= 0.6 * len(p) or p in k for k in keys)
    if whole:  # the site key makes up most of the part ("Welpen kaufen" is not the site "Welpen")
        return any(k in p and len(k) >= 0.6 * len(p) for k in keys)
    return any(k in p or (p in k and len(p) >= 3) for k in keys)


def split_title(title: str) -> list[tuple[int, int]]:
    """Spans of the parts of a title separated by ' | ', ' - ', ' – ' and the like."""
    spans, start = [], 0
    for m in SEPARATOR.finditer(title):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(title)))
    return [s for s in spans if title[s[0]:s[1]].strip()]


def strip_site(title: str, keys: list[str], pipe_labels: bool = False, whole: bool = False) -> str:
    """Remove leading/trailing parts naming the site (and, for <title>, short trailing labels
    after a pipe)."""
    spans = split_title(title)
    if not spans:
        return ""  # only separators
    while len(spans) > 1 and names_site(title[spans[-1][0]:spans[-1][1]], keys, whole=whole):
        spans.pop()
    while len(spans) > 1 and names_site(title[spans[0][0]:spans[0][1]], keys, whole=whole):
        spans.pop(0)
    if pipe_labels and len(spans) > 1:
        head = title[spans[0][0]:spans[-2][1]]
        tail = title[spans[-1][0]:spans[-1][1]]
        if "|" in title[spans[-2][1]:spans[-1][0]] and len(tail.split()) <= MAX_LABEL_WORDS < len(head.split()):
            spans.pop()
    return " ".join(title[spans[0][0]:spans[-1][1]].split())


def structured_titles(page: Page) -> Iterator[tuple[str, str]]:
    if page.article:
        for key in ("headline", "name", "alternativeHeadline"):
            if text := meta_jsonld.text_of(page.article.get(key)):
                yield text, "jsonld"
                break
    for key, source in META_TITLES:
        for value in page.meta.get(key, []):
            yield value, source


def longest_part(title: str) -> str:
    """The longest part of a <title> split at separators: the headline outlasts site and
    section names ("Reden / Rede von ...", "Muffin Grundrezept : Muffin Rezepte")."""
    spans = split_title(title)
    if not spans:
        return ""
    start, end = max(spans, key=lambda s: s[1] - s[0])
    return " ".join(title[start:end].split())


def choose_title(page: Page, site_name: str | None, hint: str | None, sources: list[tuple[str, str]]) -> str | None:
    keys = site_keys(page, site_name)
    h1s = [strip_site(" ".join(h.split()), keys, pipe_labels=True) for h in page.h1s[:8] if h.strip()]
    # an <h1> in a side block (a newsletter box, a sidebar widget) is not the article's headline
    headlines = [
        h for h, logo, off in zip(h1s, page.h1_logos, page.h1_off) if not logo and not off and not names_site(h, keys, strict=True)
    ]
    headlines = list(dict.fromkeys(headlines))  # the same headline twice (mobile and desktop)
    # the site's logo/name in an <h1> does not confirm a title (it confirms the site name)
    h1_norms = {
        norm(h): h for h, raw, logo in zip(h1s, page.h1s, page.h1_logos) if not (logo and names_site(raw, keys))
    }
    # an <h1> part that is only a piece of the site's name ("Welpen kaufen – Tipps ..." on
    # welpenkaufen24.de) stays when a structured title as written has it too
    whole_norms = {
        norm(w): w
        for w, raw, logo in zip((strip_site(" ".join(h.split()), keys, True, whole=True) for h in page.h1s[:8]), page.h1s, page.h1_logos)
        if w and not (logo and names_site(raw, keys))
    }
    raw = [(" ".join(t.split()), s) for t, s in structured_titles(page)]
    # 0. a structured title, as written, that a visible <h1> repeats
    for title, source in raw:
        if norm(title) in h1_norms:
            sources.append(("title", source))
            return h1_norms[norm(title)]
        if norm(title) in whole_norms:
            sources.append(("title", source))
            return whole_norms[norm(title)]
    # 0b. the <h2> under a headline <h1> that repeats a structured title as written, while only
    # the <title> can repeat the <h1>: the <h1> is a topic or an SEO heading
    cleaned = [(strip_site(t, keys), s) for t, s in raw]
    raw_norms = {norm(t) for t, _ in raw}
    confirmed = {norm(t) for t, _ in cleaned}  # <h1>s a structured title (not <title>) repeats
    for h1, sub, logo in zip(h1s, page.h1_subheads, page.h1_logos):
        if sub and not logo and len(sub.split()) >= 3 and norm(sub) in raw_norms and norm(h1) not in confirmed:
            sources.append(("title", "h2"))
            return " ".join(sub.split())
    if page.title_tag:
        cleaned.append((strip_site(page.title_tag, keys, pipe_labels=True), "title"))
    cleaned = [(t, s) for t, s in cleaned if t]
    # 1. a structured title that a visible <h1> repeats
    for title, source in cleaned:
        if norm(title) in h1_norms:
            sources.append(("title", source))
            return h1_norms[norm(title)]
    # 1b. an <h1> that ends with a structured title: the rest is a kicker written into the
    # heading ("Medienmitteilung der Direktion: Impfen ist noch überall möglich"); a quotation
    # before the title is part of the headline ('"Pure Leere": Kramer verpasst Olympia')
    kicked = [h for h in headlines if h[:1] not in QUOTES]
    for title, source in cleaned:
        if len(title.split()) >= 3 and any(norm(h).endswith(norm(title)) and norm(h) != norm(title) for h in kicked):
            sources.append(("title", source))
            return title
    # 1c. the <h2> under a headline <h1> that a structured title repeats, when none repeats
    # the <h1>: the <h1> is the topic above the headline ("Betriebliche Altersvorsorge" over
    # "Mit Hilfe des Chefs für die Rente sparen")
    # (or its last part: "Neuigkeiten » Die Events der letzten Zeit" under the <h1> "Neuigkeiten")
    cleaned_norms = {norm(t) for t, _ in cleaned} | {norm(t[a:b]) for t, _ in cleaned for a, b in split_title(t)[-1:]}
    for sub, logo in zip(page.h1_subheads, page.h1_logos):
        if sub and not logo and len(sub.split()) >= 3 and norm(sub) in cleaned_norms:
            sources.append(("title", "h2"))
            return " ".join(sub.split())
    # 2. the longest headline <h1> contained in a structured title (which adds a kicker,
    # section or site name)
    contained = [h for h in headlines if len(norm(h)) > 10 and any(norm(h) in norm(t) for t, _ in cleaned)]
    if contained:
        sources.append(("title", "h1"))
        return max(contained, key=len)
    # 3. the only headline <h1>: what the reader sees beats an SEO title, unless the <h1> is a
    # one-word section label ("Geschichte") and the page has a real headline field
    has_headline_field = any(s != "title" for _, s in cleaned)
    if len(headlines) == 1 and (len(headlines[0].split()) >= 2 or not has_headline_field):
        sources.append(("title", "h1"))
        return headlines[0]
    # (one-word <h1>s beside it are section headings of the article: "Anwendung")
    worded = [h for h in headlines if len(h.split()) >= 2]
    if len(worded) == 1 and headlines[0] == worded[0]:
        sources.append(("title", "h1"))
        return worded[0]
    # 4. a page without a headline <h1> (older templates use <h2>): an <h2> the structured
    # titles repeat, or, with only a <title> to go on, the first <h2> of two words or more
    # (a one-word section label in the <h1>, "Literatur", is no headline either)
    if not headlines or (len(headlines) == 1 and len(headlines[0].split()) < 2 and has_headline_field):
        h2s = [" ".join(h.split()) for h in page.h2s if not UI_HEADING.search(h)]
        for h2 in h2s:
            if len(norm(h2)) > 10 and any(norm(h2) in norm(t) for t, _ in cleaned):
                sources.append(("title", "h2"))
                return h2
        # under a section label, the first <h2> is no better guess than the structured titles
        first = None if headlines else next((h for h in h2s if len(h.split()) >= 2 and not names_site(h, keys, strict=True)), None)
        # a <title> of one part (no site name or section joined to it) is already a headline
        single = page.title_tag and len(split_title(page.title_tag)) == 1 and len(page.title_tag.split()) >= 2
        if first and not has_headline_field and not (single and not names_site(page.title_tag, keys)):
            sources.append(("title", "h2"))
            return first
    for title, source in cleaned:
        sources.append(("title", source))
        return longest_part(title) if source == "title" else title
    if h1s:
        sources.append(("title", "h1"))
        return h1s[0]
    if hint and hint.strip():
        sources.append(("title", "feed"))
        return " ".join(hint.split())
    return None
