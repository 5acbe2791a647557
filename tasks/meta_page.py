"""One pass over the lxml tree: the raw material every metadata field is chosen from.

``read_page`` collects <meta> values, JSON-LD, microdata, <time> elements, headings, byline
containers and the lead paragraphs, so that the field rules in tasks/metadata.py never walk
the tree again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from tasks import meta_jsonld

# class/id/itemprop/rel words that mark an element as a byline or credit
BYLINE_HINT = re.compile(
    r"byline|by-line|author|writer|dateline|credit|article[-_]?source|story[-_]?source|\bsource\b|"
    r"\bmeta\b|post[-_]?meta|entry[-_]?meta|article[-_]?info|story[-_]?info|posted|publish|\bdate\b|timestamp|"
    r"vcard|contributor",
    re.I,
)
# containers whose bylines belong to other articles or to comments
OFF_ARTICLE = re.compile(r"comment|related|recommend|teaser|sidebar|widget|footer|popular|trending|newsletter", re.I)
BYLINE_TAGS = frozenset(
    "div span p address section ul li header footer small a strong em b i td h3 h4 h5 h6 cite dd byline".split()
)
FOOTER_ONLY = re.compile(r"footer", re.I)
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg"}


@dataclass
class Page:
    url: str | None
    tree: Any = None  # the parsed page, for the trafilatura/htmldate fallbacks (never modified)
    layout: frozenset = frozenset()  # the elements that contain the first <h1> (see is_off_article)
    meta: dict[str, list[str]] = field(default_factory=dict)  # lower-cased name/property -> contents
    lang_attr: str | None = None
    title_tag: str | None = None
    canonical: str | None = None
    jsonld_blocks: list[Any] = field(default_factory=list)
    article: dict | None = None  # the JSON-LD article node
    h1s: list[str] = field(default_factory=list)
    h1_logos: list[bool] = field(default_factory=list)  # per h1: looks like the site's logo/name
    h2s: list[str] = field(default_factory=list)  # second-level headings outside side blocks
    microdata: dict[str, list[str]] = field(default_factory=dict)  # itemprop -> values
    times: list[tuple[str, str, str]] = field(default_factory=list)  # (datetime attr, text, hint)
    bylines: list[etree._Element] = field(default_factory=list)
    author_links: list[str] = field(default_factory=list)  # rel=author texts
    leads: list[str] = field(default_factory=list)  # first paragraphs, for datelines
    by_texts: list[str] = field(default_factory=list)  # short "By Jane Doe" lines in the article
    tag_links: list[tuple[str, str, str]] = field(default_factory=list)  # (text, href, rel)
    labeled_links: list[tuple[str, str]] = field(default_factory=list)  # (label, link text)
    body_text: str = ""
    after_headline: str = ""  # the first 400 characters of text after the first <h1>


def hint_of(el: etree._Element) -> str:
    return " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop"), el.get("rel"))))


KICKER = re.compile(
    r"kicker|overline|dachzeile|topline|eyebrow|roofline|supertitle|super-title|rubric|flag|spitzmarke|"
    r"visually-hidden|sr-only|screen-reader|colon|topic-label|sub-?heading|hiddendash",
    re.I,
)
HEADLINE_PART = re.compile(r"headline|title", re.I)
LOGO = re.compile(r"logo|brand|site-?title|site-?name|blog-?title|masthead", re.I)


def headline_text(h1: etree._Element) -> str:
    """The headline of an <h1>, without a kicker/overline written inside it: a child whose
    class says kicker/overline/label, or a first child set apart by a <br>, <small> or a hidden
    separator ("<small>Tunesien</small><br> Große Aufgaben ...")."""
    parts = [c for c in h1 if isinstance(c.tag, str) and c.tag not in _SKIP_TAGS]
    for child in parts:
        hint = hint_of(child)
        if HEADLINE_PART.search(hint) and not KICKER.search(hint) and not is_kicker(child) and clean_text(child):
            return clean_text(child)
    dropped = {c for c in parts if KICKER.search(hint_of(c)) or is_kicker(c) or c.get("aria-hidden") == "true"}
    if not dropped:
        return clean_text(h1)
    kept = [h1.text or ""]
    for child in parts:
        if child not in dropped:
            kept.append(clean_text(child))
        kept.append(child.tail or "")
    text = " ".join(" ".join(kept).split()).lstrip(":–—-| ").strip()
    return text if len(text.split()) >= 2 else clean_text(h1)


def is_kicker(child: etree._Element) -> bool:
    """The first thing in an <h1>, short, and followed by a line break or more headline text."""
    h1 = child.getparent()
    if (h1.text or "").strip() or child is not next((c for c in h1 if isinstance(c.tag, str)), None):
        return False
    text = clean_text(child)
    if not text or len(text.split()) > 6:
        return False
    rest = " ".join(((child.tail or "") + " " + " ".join(clean_text(c) + " " + (c.tail or "") for c in child.itersiblings() if isinstance(c.tag, str))).split())
    nxt = child.getnext()
    set_apart = child.tag == "small" or (nxt is not None and nxt.tag == "br") or text.endswith(":")
    return set_apart and len(rest.split()) >= 2


def is_logo_heading(h1: etree._Element) -> bool:
    """An <h1> that holds the site's name (blog themes) rather than the article's headline."""
    if LOGO.search(hint_of(h1)):
        return True
    for anc in h1.iterancestors():
        if anc.tag == "header" and LOGO.search(hint_of(anc) or "") or LOGO.search(hint_of(anc) or "") and anc.tag != "body":
            return True
    link = h1.find(".//a")
    return link is not None and urlsplit(link.get("href") or "").path.strip("/") == "" and link.get("href") is not None


_TEXT = etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)]")
_INVISIBLE = str.maketrans("", "", "\u00ad\u200b\u200c\u200d\ufeff")


def clean_text(el: etree._Element) -> str:
    """Visible text: no script/style content, no soft hyphens or zero-width characters."""
    return " ".join("".join(_TEXT(el)).translate(_INVISIBLE).split())


def is_off_article(el: etree._Element, layout: frozenset = frozenset()) -> bool:
    """Inside navigation, aside, a block of other articles / comments, or the site's footer
    (a <footer> inside an <article> or <main> is the article's own footer, where bylines live).
    ``layout`` are the elements that contain the headline <h1>: wrappers whose class says
    "sidebar" or "widget" but that hold the article are page layout, not a side block."""
    ancestors = [a for a in el.iterancestors() if a not in layout and a.tag not in ("body", "html")]
    in_article = any(anc.tag in ("article", "main") for anc in el.iterancestors())
    for anc in ancestors:
        if anc.tag in ("nav", "aside"):
            return True
        if anc.tag == "footer" and not in_article:
            return True
        hint = hint_of(anc) or ""
        if OFF_ARTICLE.search(hint) and not (in_article and FOOTER_ONLY.fullmatch(OFF_ARTICLE.search(hint)[0])):
            return True
    return False


def read_meta(tree: etree._Element, page: Page) -> None:
    for el in tree.iter("meta"):
        content = el.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = el.get(attr)
            if key:
                page.meta.setdefault(key.strip().lower(), []).append(content.strip())


def read_head(tree: etree._Element, page: Page) -> None:
    page.lang_attr = tree.get("lang") or tree.get("xml:lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    title = tree.find(".//title")
    if title is not None:
        page.title_tag = clean_text(title) or None
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href") and not page.canonical:
            page.canonical = link.get("href").strip()
    texts = [s.text or "" for s in tree.iter("script") if "ld+json" in (s.get("type") or "").lower()]
    page.jsonld_blocks = meta_jsonld.load_blocks(texts)
    page.article = meta_jsonld.find_article(page.jsonld_blocks)


def read_body(tree: etree._Element, page: Page) -> None:
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
            continue
        tag = el.tag
        hint = hint_of(el)
        if tag == "h2" and len(page.h2s) < 10 and (text := clean_text(el)) and not is_off_article(el, page.layout):
            page.h2s.append(text)
        if tag == "h1":
            text = headline_text(el)
            if text:
                page.h1s.append(text)
                page.h1_logos.append(is_logo_heading(el))
        if el.get("itemprop") and tag != "meta":
            value = el.get("content") or el.get("datetime") or clean_text(el)
            if value and len(value) < 300:
                page.microdata.setdefault(el.get("itemprop").lower(), []).append(value)
        if tag == "time":
            page.times.append((el.get("datetime") or "", clean_text(el), hint + " " + ancestor_hints(el)))
        if tag == "a" and "author" in (el.get("rel") or "").lower() and not is_off_article(el, page.layout):
            page.author_links.append(clean_text(el))
        if tag in BYLINE_TAGS and len(page.bylines) < 60:
            if tag == "byline" or hint and BYLINE_HINT.search(hint):
                page.bylines.append(el)
        if tag in BY_TAGS and len(page.by_texts) < 10 and (text := by_text(el)) and not is_off_article(el, page.layout):
            page.by_texts.append(text)
        if tag == "p" and len(page.leads) < 6 and not is_off_article(el, page.layout):
            text = clean_text(el)
            if len(text) > 40:
                page.leads.append(text)
        if tag in ("li", "span", "strong", "b", "dt", "h3", "h4", "h5", "p", "div", "label"):
            read_tag_label(el, page)
        if tag == "a" and el.get("href") and not is_off_article(el, page.layout):
            page.tag_links.append((clean_text(el), el.get("href"), (el.get("rel") or "").lower()))


BY_TAGS = frozenset("p span div em strong small b i a address h4 h5 h6 li td".split())
# a short line that is only a credit: "By Jane Doe", "von Andreas Kürten", "Autor: Jan Ro"
BY_LINE = re.compile(
    r"^[-–—\s]*(?:(?:posted |written |geschrieben |ein beitrag )?(?:by|von|par|por|door)|"
    r"(?:autor(?:in|en)?|authors?|auteur|text|redaktion)\s*:|text von)\s+\S", re.I
)


BY_START = re.compile(r"^[-–—\s]*(?:by|von|par|por|door|posted|written|geschrieben|ein|autor\w*|author\w*|auteur|text|redaktion)\b", re.I)


def by_text(el: etree._Element) -> str | None:
    """The element's text when it is a short credit line (2-8 words after the "By")."""
    head = (el.text or "").strip() or (el[0].text or "" if len(el) and isinstance(el[0].tag, str) else "")
    if not head or not BY_START.match(head.strip()):
        return None  # cheap test first: most elements are not credit lines
    text = clean_text(el)
    if not 4 < len(text) <= 80 or not BY_LINE.match(text):
        return None
    return text if 2 <= len(text.split()) <= 9 else None


def read_tag_label(el: etree._Element, page: Page) -> None:
    """A label such as "Country:" or "Tags:" followed by links: the links are tags of that kind."""
    text = (el.text or "").strip()
    if not text.endswith(":") or len(text) > 30 or len(el):
        return
    label = text[:-1].strip().lower()
    scope = el.getparent()
    for _ in range(2):
        if scope is None:
            return
        links = [a for a in scope.iter("a") if a.get("href")]
        if links:
            if len(links) <= 30:
                page.labeled_links.extend((label, clean_text(a)) for a in links if clean_text(a))
            return
        scope = scope.getparent()


def ancestor_hints(el: etree._Element, depth: int = 3) -> str:
    hints = []
    for i, anc in enumerate(el.iterancestors()):
        if i >= depth:
            break
        hints.append(hint_of(anc))
    return " ".join(hints)


def read_page(tree: etree._Element, url: str | None) -> Page:
    h1s = list(tree.iterfind(".//body//h1"))
    # the headline: the first <h1> that is not the site's logo and says something
    h1 = next((h for h in h1s if not is_logo_heading(h) and len(clean_text(h).split()) >= 2), h1s[0] if h1s else None)
    page = Page(url=url, tree=tree, layout=frozenset(h1.iterancestors()) if h1 is not None else frozenset())
    read_meta(tree, page)
    read_head(tree, page)
    body = tree.find("body")
    if body is not None:
        read_body(body, page)
        page.body_text = " ".join(page.leads)
    if h1 is not None:
        page.after_headline = " ".join("".join(_AFTER_H1(h1)).split())[:400]
    return page


# the text right after the headline, where templates without byline markup write the date
_AFTER_H1 = etree.XPath("(following::text()[not(ancestor::script) and not(ancestor::style)])[position() <= 60]")
