"""One pass over the lxml tree: the raw material every metadata field is chosen from.

``read_page`` collects <meta> values, JSON-LD, microdata, <time> elements, headings, byline
containers and the lead paragraphs, so that the field rules in tasks/metadata.py never walk
the tree again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from tasks import meta_dates, meta_jsonld
from tasks.urls import join_url, split_url

# class/id/itemprop/rel words that mark an element as a byline or credit
BYLINE_HINT = re.compile(
    r"byline|by-line|author|\bautor|writer|dateline|credit|article[-_]?source|story[-_]?source|\bsource\b|"
    r"\bmeta\b|post[-_]?meta|entry[-_]?meta|article[-_]?info|story[-_]?info|posted|publish|\bdate\b|timestamp|"
    r"vcard|contributor",
    re.I,
)
# containers whose bylines belong to other articles or to comments
OFF_ARTICLE = re.compile(r"comment|related|recommend|teaser|sidebar|widget|footer|popular|trending|newsletter", re.I)
# classes that describe a page layout with a sidebar, not the sidebar ("has-double-sidebar",
# "with-sidebar", "no-sidebar", "layoutTwoColumnsRightSidebar", "article-sidebar")
LAYOUT_SIDEBAR = re.compile(
    r"\b(?:has|with|no|without)[-_](?:\w+[-_])?sidebar\w*|\blayout\w*sidebar\w*"
    r"|\b(?:article|post|story|entry)[-_]sidebar\b",  # the article's own column: byline, date, share tools
    re.I,
)


# Blogger's post widget (class "widget Blog", id "Blog1") is the column of the posts; its side
# widgets are "widget Label", "widget BlogArchive", "widget HTML", ...
BLOG_POSTS_WIDGET = re.compile(r"(?:^|\s)widget Blog(?:\s|$)")


# Elementor (a WordPress page builder) calls every block a widget: its column wrappers
# ("elementor-widget-wrap") and the post's own blocks ("elementor-widget-theme-post-content",
# "elementor-widget-post-info": the text, the byline) are the article, not side widgets
ELEMENTOR_WRAP = re.compile(r"\belementor-widget-(?:wrap|container)\b")
ELEMENTOR_POST_PART = re.compile(r"\belementor-widget-(?:theme-post-[\w-]+|post-info)\b")
ELEMENTOR_WIDGET = re.compile(r"\belementor-widget[\w-]*")


def off_article_match(hint: str) -> re.Match | None:
    """What OFF_ARTICLE says about a class/id hint, layout classes set aside."""
    if BLOG_POSTS_WIDGET.search(hint):
        return None
    if "elementor-widget" in hint:
        hint = ELEMENTOR_WIDGET.sub(" ", hint) if ELEMENTOR_POST_PART.search(hint) else ELEMENTOR_WRAP.sub(" ", hint)
    m = OFF_ARTICLE.search(hint)
    if m and m[0].lower() == "sidebar" and LAYOUT_SIDEBAR.search(hint):
        return OFF_ARTICLE.search(LAYOUT_SIDEBAR.sub(" ", hint))
    return m


BYLINE_TAGS = frozenset(
    "div span p address section ul li header footer small a strong em b i td h3 h4 h5 h6 cite dd byline".split()
)
FOOTER_ONLY = re.compile(r"footer", re.I)
# every class/id/itemprop/rel that trafilatura 2.3's AUTHOR_XPATHS test contains one of these
TRAFILATURA_AUTHOR_WORDS = (
    "uthor", "zuozhe", "bianji", "xiaobian", "byl", "bbl", "username", "channel-name", "submitted-by",
    "posted-by", "journalist-name", "screenname", "writer",
)
AUTHOR_WORDS = re.compile("|".join(map(re.escape, TRAFILATURA_AUTHOR_WORDS)))
# every match of BYLINE_HINT or OFF_ARTICLE contains one of these (a cheap test before the regexes)
HINT_WORDS = (
    "by", "author", "autor", "writer", "date", "credit", "source", "meta", "post", "publish", "timestamp", "vcard",
    "contributor", "info", "comment", "related", "recommend", "teaser", "sidebar", "widget", "footer",
    "popular", "trending", "newsletter",
)
# one pass of literal alternatives on the lower-cased hint: cheaper than the \b and
# case-insensitive patterns they guard
HINT_PREFILTER = re.compile("|".join(HINT_WORDS))
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg"}
# what the body walk does not enter: a <noscript> is entered, as pages that render their
# article with scripts write it there for readers without them (Blogger's posts, bylines)
_WALK_SKIP = frozenset(("script", "style", "template", "svg"))


@dataclass
class Page:
    url: str | None
    tree: Any = None  # the parsed page, for the trafilatura fallback (never modified)
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
    h1_off: list[bool] = field(default_factory=list)  # per h1: inside a side block (newsletter box, sidebar)
    h1_subheads: list[str] = field(default_factory=list)  # per h1: the first <h2> after it, before the next <h1>
    microdata: dict[str, list[str]] = field(default_factory=dict)  # itemprop -> values
    times: list[tuple[str, str, str]] = field(default_factory=list)  # (datetime attr, text, hint)
    bylines: list[etree._Element] = field(default_factory=list)  # byline containers in the article
    author_links: list[str] = field(default_factory=list)  # rel=author texts
    # (text, href, parent element) of links to an author's page
    archive_links: list[tuple[str, str, Any]] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)  # first paragraphs, for datelines
    headline: Any = None  # the headline <h1> element
    article_leads: list[str] = field(default_factory=list)  # the first paragraphs after the headline
    by_texts: list[str] = field(default_factory=list)  # short "By Jane Doe" lines in the article
    cjk_credits: list[tuple[int, str]] = field(default_factory=list)  # (label rank, name): "记者：张三", "责任编辑：焦鹏"
    signatures: list[str] = field(default_factory=list)  # the last paragraphs that sign the article (signature_of)
    copyright_names: list[str] = field(default_factory=list)  # "© Stylegart by Ramona": the person after "by"
    box_names: list[str] = field(default_factory=list)  # author boxes: a name above "Alle Artikel" (side columns too)
    license_names: list[str] = field(default_factory=list)  # Creative Commons attribution names (cc:attributionName)
    tag_links: list[tuple[str, str, str]] = field(default_factory=list)  # (text, href, rel)
    labeled_links: list[tuple[str, str]] = field(default_factory=list)  # (label, link text)
    body_text: str = ""
    author_markup: bool = False  # the body has markup trafilatura's byline XPaths may match
    after_headline: str = ""  # the first 400 characters of text after the first <h1>
    above_headline: str = ""  # the short line right before the headline <h1> (a topline)
    times_before_headline: int = 0  # Page.times recorded before the walk passed the headline


def hint_of(el: etree._Element) -> str:
    return " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop"), el.get("rel"))))


KICKER = re.compile(
    r"kicker|overline|dachzeile|topline|eyebrow|roofline|supertitle|super-title|rubric|flag|spitzmarke|"
    r"visually-?hidden|sr-only|screen-reader|colon|topic-label|sub-?heading|hiddendash|"
    r"top-?title|pre-?title|over-?title|sub-?title",
    re.I,
)
# a part of the heading that holds the headline ("title", "headline"), but not a subtitle or a
# title above the headline ("article-subtitle", "entry-title__toptitle")
HEADLINE_PART = re.compile(r"headline|(?<!sub)(?<!sub-)(?<!sub_)(?<!top)(?<!top-)(?<!top_)title", re.I)
LOGO = re.compile(r"logo|brand|site-?title|site-?name|blog-?title|masthead|tag-?line|slogan", re.I)


def headline_text(h1: etree._Element) -> str:
    """The headline of an <h1>, without a kicker/overline written inside it: a child whose
    class says kicker/overline/label, or a first child set apart by a <br>, <small> or a hidden
    separator ("<small>Tunesien</small><br> Große Aufgaben ...")."""
    parts = [c for c in h1 if isinstance(c.tag, str) and c.tag not in _SKIP_TAGS]
    after = after_hidden_separator(h1, parts)
    if after:
        return after
    for child in parts:
        hint = hint_of(child)
        if HEADLINE_PART.search(hint) and not KICKER.search(hint) and not is_kicker(child) and clean_text(child):
            return headline_text(child)  # it may hold a hidden label ("<span class=visuallyhidden>Headline:</span>")
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


def after_hidden_separator(h1: etree._Element, parts: list) -> str:
    """The text after a separator hidden from screen readers ("<span>Coronavirus</span><span
    aria-hidden=true> – </span><span>Wie Umweltzerstörung ...</span>"): what comes before it is
    a kicker set apart visually, whatever its class says."""
    for i, child in enumerate(parts):
        if 0 < i < len(parts) - 1 and (child.get("aria-hidden") == "true" or "hiddendash" in hint_of(child).lower()):
            if clean_text(child).strip(" :–—-|·•/") == "" and not (h1.text or "").strip():
                text = " ".join(" ".join([child.tail or ""] + [clean_text(c) + " " + (c.tail or "") for c in parts[i + 1:]]).split())
                if len(text.split()) >= 2:
                    return text
    return ""


def author_name(el: etree._Element) -> etree._Element:
    """An itemprop=author container's name element: the box also holds the author's
    description, whose text would run into the name ("Paddy" + "Patrick Ludolph, Fotograf ...")."""
    for sub in el.iterdescendants():
        if sub.get("itemprop") == "name":
            return sub
    return el


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


def is_logo_heading(h1: etree._Element, url: str | None = None) -> bool:
    """An <h1> that holds the site's name (blog themes) rather than the article's headline: its
    class says logo/brand, or it links to the site's home page (or to a page above this one:
    "https://web.archive.org/web/2014/http://blog.example/" on an archived post)."""
    if LOGO.search(hint_of(h1)):
        return True
    for anc in h1.iterancestors():
        # the classes of <html> and <body> describe the whole page ("html_logo_left")
        if anc.tag not in ("body", "html") and LOGO.search(hint_of(anc) or ""):
            return True
    link = h1.find(".//a")
    if link is None or link.get("href") is None:
        return False
    href = link.get("href").strip()
    parts = split_url(href)
    if parts is None:
        return False
    if parts.path.strip("/") == "":
        return True
    target = join_url(url, href) if url else href
    return bool(url and target) and target.endswith("/") and target != url and url.startswith(target)


_TEXT = etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)]")
_INVISIBLE = str.maketrans("", "", "\u00ad\u200b\ufeff")  # joiners (\u200c, \u200d) spell Indic and Persian words


def clean_text(el: etree._Element) -> str:
    """Visible text: no script/style content, no soft hyphens or zero-width characters."""
    if not len(el):  # a leaf: its own text (most links, spans and headings)
        return " ".join((el.text or "").translate(_INVISIBLE).split()) if el.tag not in ("script", "style") else ""
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
        m = off_article_match(hint)
        if m and not (in_article and FOOTER_ONLY.fullmatch(m[0])):
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


def read_body(body: etree._Element, page: Page) -> None:
    """One walk over the body. Whether an element is off the article (see is_off_article) is
    carried down the walk as a state of its ancestors instead of being recomputed per element,
    and an element's text is only read when its tag and attributes make it a candidate."""
    layout = page.layout
    # per open element: (inside <article>/<main>, inside a side block, inside a footer)
    stack: list[tuple[bool, bool, bool]] = [(False, False, False)]
    kinds: dict[str, tuple[bool, str | None, bool]] = {}  # hint -> hint_kind(hint): class names repeat
    after_headline = False  # the walk has passed the headline <h1>
    walk = etree.iterwalk(body, events=("start", "end"))
    for event, el in walk:
        if event == "end":
            stack.pop()
            continue
        if el.tag in _WALK_SKIP:
            # scripts, styles and drawings hold no metadata (JSON-LD is read by read_head)
            walk.skip_subtree()
        in_article, side, footer = stack[-1]
        off = side or (footer and not in_article)
        tag = el.tag
        hint = hint_of(el)
        kind = kinds.get(hint) or kinds.setdefault(hint, hint_kind(hint))
        if kind[2] or tag in ("author", "rel"):
            page.author_markup = True
        stack.append(child_state(el, tag, kind[1], stack[-1], layout))
        if tag not in _SKIP_TAGS:
            read_element(el, tag, hint, kind[0], off, after_headline, page)
        if el is page.headline:
            after_headline = True
            page.times_before_headline = len(page.times)


def hint_kind(hint: str) -> tuple[bool, str | None, bool]:
    """(the hint marks a byline, "side"/"footer"/None: what OFF_ARTICLE says about it, the
    hint may be author markup for trafilatura's byline XPaths)."""
    low = hint.lower()
    authorish = bool(AUTHOR_WORDS.search(low))
    if not HINT_PREFILTER.search(low):
        return False, None, authorish  # most class names say none of these: a substring test is cheap
    m = off_article_match(hint)
    off = None if m is None else "footer" if FOOTER_ONLY.fullmatch(m[0]) else "side"
    return bool(BYLINE_HINT.search(hint)), off, authorish


def child_state(
    el: etree._Element, tag: str, off_kind: str | None, state: tuple[bool, bool, bool], layout: frozenset
) -> tuple[bool, bool, bool]:
    """The ancestor state the children of ``el`` see (the rules of is_off_article)."""
    in_article, side, footer = state
    in_article = in_article or tag in ("article", "main")
    if el in layout or tag in ("body", "html"):
        return in_article, side, footer
    if tag in ("nav", "aside"):
        side = True
    elif tag == "footer":
        footer = True
    if off_kind == "footer":
        footer = True
    elif off_kind == "side":
        side = True
    return in_article, side, footer


def read_element(
    el: etree._Element, tag: str, hint: str, byline_hint: bool, off: bool, after_headline: bool, page: Page
) -> None:
    if tag == "h2" and not off:
        if len(page.h2s) < 10 and (text := clean_text(el)):
            page.h2s.append(text)
        if page.h1_subheads and not page.h1_subheads[-1]:
            page.h1_subheads[-1] = headline_text(el)
    elif tag == "h1":
        text = headline_text(el)
        if text:
            page.h1s.append(text)
            page.h1_logos.append(is_logo_heading(el, page.url))
            page.h1_subheads.append("")
            page.h1_off.append(off)
    elif tag == "time":
        page.times.append((el.get("datetime") or "", clean_text(el), hint + " " + ancestor_hints(el)))
    if (prop := el.get("itemprop")) and tag != "meta":
        value = el.get("content") or el.get("datetime") or short_text(author_name(el) if prop.lower() == "author" else el, MAX_MICRODATA)
        if value and len(value) < MAX_MICRODATA:
            page.microdata.setdefault(prop.lower(), []).append(value)
    if el.get("property") == "cc:attributionName" and len(page.license_names) < 2:
        page.license_names.append(clean_text(el))
    if tag == "a":
        rel = (el.get("rel") or "").lower()
        if "cc:attributionurl" in rel and len(page.license_names) < 2:
            page.license_names.append(clean_text(el))
        if "author" in rel and not off:
            page.author_links.append(clean_text(el))
        href = el.get("href")
        if href and len(page.box_names) < 4 and ALL_ARTICLES.fullmatch((el.text or "").strip()) and (name := box_name(el, href)):
            page.box_names.append(name)
        if href and not off and len(page.archive_links) < 5 and AUTHOR_HREF.search(href):
            # a linked author box holds a portrait and its credit too: its name element names the author
            named = next(el.iterfind('.//*[@itemprop="name"]'), el)
            page.archive_links.append((clean_text(named), href, el.getparent()))
        # only links that can be tags are kept (tag_candidates): most links are not
        if href and not off and (TAG_HREF.search(href) or "tag" in rel.split()):
            page.tag_links.append((clean_text(el), href, rel))
    # only the article's own bylines: the walk knows whether the element is off the article
    # (the same answer as is_off_article, without walking its ancestors again)
    if (byline_hint or tag == "byline") and tag in BYLINE_TAGS and not off and len(page.bylines) < 60:
        page.bylines.append(el)
    own = (el.text or "").strip()
    if not off and len(page.cjk_credits) < 6:
        read_cjk_credit(own, page)
        read_cjk_credit(el.tail, page)
    # by_text and read_tag_label read the element's own text: most elements fail on it
    if not off and tag in BY_TAGS and len(page.by_texts) < 10 and (own[:1] in BY_FIRST or not own and len(el)):
        if text := by_text(el) or (len(own) <= MAX_LABEL and labelled_name(el, own)):
            page.by_texts.append(text)
    elif not off and len(own) <= 80 and len(page.by_texts) < 10 and (credit := dated_credit(own)):
        page.by_texts.append(credit)
    if tag == "p" and not off and (len(page.leads) < 6 or after_headline and len(page.article_leads) < 2):
        text = clean_text(el)
        if len(text) > 40:
            if len(page.leads) < 6:
                page.leads.append(text)
            if after_headline and len(page.article_leads) < 2:
                page.article_leads.append(text)
    if tag == "p" and not off and (text := signature_of(el, own)):
        page.signatures = (page.signatures + [text])[-3:]
    if own.endswith(":") and tag in LABEL_TAGS:
        read_tag_label(el, page)
    # the site's copyright line is in its footer or a side column: in the article, "©" credits photos
    if off and "©" in own and len(own) <= MAX_COPYRIGHT and len(page.copyright_names) < 2 and (m := COPYRIGHT_BY.match(own)):
        if not MAKER_BY.search(own, 0, m.start(1)):
            page.copyright_names.append(m[1])


# "© Stylegart by Ramona", "© since 2010 by C.Habermueller All rights reserved": the copyright
# line of a personal site names its owner after "by" (one to three capitalised words)
MAX_COPYRIGHT = 80  # characters of a copyright line (longer: a notice in running text)
# "© 2021 Praxis Kern – Webdesign by Max Web": the site's maker, not its owner
MAKER_BY = re.compile(
    r"\b(?:powered|theme|designed|design|webdesign|website|hosted|template|built|developed|made|created|crafted|"
    r"coded|realisiert|erstellt|umgesetzt|gestaltet)\s+(?i:by)\s+$",
    re.I,
)
COPYRIGHT_BY = re.compile(
    r"(?i:copyright\s*)?©[^|©]{0,40}?\b(?i:by)\s+((?!All\b|Alle\b)[A-ZÀ-Ý][\w.'’-]*(?:\s+(?!All\b|Alle\b)[A-ZÀ-Ý][\w.'’-]*){0,2})"
)


# Chinese news pages credit in labelled lines: the writer ("作者", "记者", "撰稿", "文") first,
# then the editor ("责任编辑", "责编", "编辑"), the only credit many of them carry
CJK_CREDIT = re.compile(r"(作者|记者|撰稿|文|责任编辑|责编|编辑)\s*[:：]\s*([\u4e00-\u9fff·]{2,4})(?![\u4e00-\u9fff])")
CJK_WRITER = frozenset(("作者", "记者", "撰稿", "文"))


def read_cjk_credit(text: str | None, page: Page) -> None:
    if text and ("：" in text or ":" in text) and (m := CJK_CREDIT.search(text)):
        page.cjk_credits.append((0 if m[1] in CJK_WRITER else 1, m[2]))


MAX_MICRODATA = 300  # longer itemprop texts (articleBody) are not metadata values
LABEL_TAGS = frozenset(("li", "span", "strong", "b", "dt", "h3", "h4", "h5", "p", "div", "label"))
# link paths of an author's own page ("/author/jane-doe/", "/autoren/kathrin-fuehres-684124",
# "/fr/staff/jean-dupont/")
AUTHOR_HREF = re.compile(r"/(?:authors?|autor(?:en|in)?|staff|journalists?)/([^/?#]+)", re.I)
# link paths that name a tag, topic, country or category page (read by tasks/metadata.py)
TAG_HREF = re.compile(r"/(countr(?:y|ies)|topics?|themen|thema|tags?|schlagworte?|categor(?:y|ies)|section)/", re.I)


def short_text(el: etree._Element, limit: int) -> str:
    """clean_text(el) when it is shorter than ``limit``, else "" (a long value is not read
    to the end: an itemprop="articleBody" holds the whole article)."""
    size = 0  # visible characters other than spaces: clean_text is at least this long
    for text in el.itertext():
        size += len("".join(text.translate(_INVISIBLE).split()))
        if size >= limit:
            # script text counts in itertext but not in clean_text: only then read it all
            if el.find(".//script") is None and el.find(".//style") is None:
                return ""
            break
    text = clean_text(el)
    return text if len(text) < limit else ""


BY_TAGS = frozenset("p span div em strong small b i a address h4 h5 h6 li td".split())
# a short line that is only a credit: "By Jane Doe", "von Andreas Kürten", "Autor: Jan Ro"
BY_LINE = re.compile(
    r"^[-–—\s]*(?:(?:posted |written |geschrieben |ein beitrag |ein artikel |(?:ein |an )?(?:interview|gespräch) )?"
    r"(?:by|von|par|por|door)\s*:?|"
    r"(?:autor(?:in|en)?|authors?|auteur)\s*:?|(?:text|redaktion)\s*:|text von)\s+\S", re.I
)


BY_FIRST = frozenset("-–— bvpdwgeatrBVPDWGEATR|•·")  # the first characters BY_START or BY_LABEL can match
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


# a post-meta line that is a date and a credit: "06.11.2023 13:30 von Olga", "March 3, 2020 by Jane Doe"
DATED_CREDIT = re.compile(r"^(?P<date>[\w.,:/ -]{6,40}?)\s*[|,–-]?\s+(?P<credit>(?:von|by|par|por)\s+\S[^|]{0,38})$")


def dated_credit(own: str) -> str | None:
    """The credit ("von Olga") of a short line that is only a date and a credit."""
    if not (" von " in own or " by " in own or " par " in own or " por " in own):
        return None  # cheap test first
    m = DATED_CREDIT.match(" ".join(own.split()))
    if m and meta_dates.date_snippet(m["date"]) == m["date"].strip():
        return m["credit"]
    return None


# an element that holds only the credit label, the name being written after it:
# "<span>By</span><a>Jane Doe</a>", "<h5>Autor: </h5>Peter Maahn", "<span>| By </span><span>Jane Doe</span>"
BY_LABEL = re.compile(
    r"[|•·\-–—]?\s*(?:(?:written |posted )?(?:by|von|par|por|door)|text von|"
    r"autor(?:in|en)?|authors?|auteur)\s*:?",
    re.I,
)
MAX_LABEL = 14  # characters of the longest label above
MAX_NAME_WORDS = 6
# the label without its colon: a label only outside menus ("Autor <span>Mark Newton</span>")
BARE_AUTHOR_LABEL = re.compile(r"\s*(?:autor(?:in|en)?|authors?|auteur)\s*", re.I)


def in_menu(el: etree._Element) -> bool:
    """A link or list item, or inside one: a menu entry ("<li><a>Autoren</a></li>")."""
    parent = el.getparent()
    return el.tag in ("a", "li") or parent is not None and parent.tag in ("li", "a", "nav")


def labelled_name(el: etree._Element, own: str) -> str | None:
    """"By Jane Doe" when ``el`` is only a credit label and a short name follows it: in its
    tail text, else in the next element (the label's wrapper's next element when the label
    is alone in it: "<p><strong>By</strong></p><p>Jane Doe</p>")."""
    if not BY_LABEL.fullmatch(own) or len(el):
        return None
    if not own.rstrip().endswith(":") and BARE_AUTHOR_LABEL.fullmatch(own) and in_menu(el):
        return None  # "Autoren" in a menu is a link to the authors' pages, the next item no name
    name = " ".join((el.tail or "").split())
    node = el
    for _ in range(3):
        if name:
            break
        name = text_after(node)
        if name is not None:
            break
        parent = node.getparent()
        # the label is alone in its wrapper: the name is after the wrapper
        if parent is None or (parent.text or "").strip() or len(parent) > 1:
            return None
        name = " ".join((parent.tail or "").split())
        node = parent
    if not name or len(name) > 60 or len(name.split()) > MAX_NAME_WORDS:
        return None
    return f"By {name}"


EMPHASIS = frozenset(("b", "strong", "em", "i", "font"))
MIN_SIGNED_PARAGRAPH = 80  # characters of the paragraph a signature follows


def follows_running_text(p: etree._Element) -> bool:
    """The paragraph before ``p`` (empty ones and line breaks skipped) is running text."""
    prev = p.getprevious()
    while prev is not None and (prev.tag == "br" or prev.tag == "p" and not "".join(prev.itertext()).strip()):
        prev = prev.getprevious()
    return prev is not None and prev.tag == "p" and len("".join(prev.itertext())) >= MIN_SIGNED_PARAGRAPH


def signature_text(p: etree._Element) -> str | None:
    """A paragraph that is only a short emphasized line ("<p><b><i>Stefan Wasmer</i></b></p>")
    right after a paragraph of running text, as articles are signed at their end."""
    if not follows_running_text(p):
        return None
    child = p[0]
    while isinstance(child.tag, str) and child.tag in EMPHASIS and not (child.tail or "").strip():
        if len(child) == 0:
            text = " ".join((child.text or "").split())
            words = text.split()
            # every word capitalised: "Stefan Wasmer", not "Zu den Autorinnen"; a line ending
            # in a colon introduces what follows ("Im Einzelnen:"), it signs nothing
            signs = 2 <= len(words) <= 3 and len(text) <= 40 and not text.endswith(":")
            return text if signs and all(w[0].isupper() for w in words) else None
        if len(child) > 1 or (child.text or "").strip():
            return None
        child = child[0]
    return None


# the link of an author box to the person's articles ("Alle Artikel", "All posts", "More by ...")
ALL_ARTICLES = re.compile(
    r"(?i:(?:zu )?allen? (?:artikel|artikeln|beiträgen?|texten?|rezepten?)(?: (?:von|vom autor|des autors|der autorin))?"
    r"|all (?:articles|posts|stories|recipes)|more (?:articles|posts|stories|recipes)"
    r"|more (?:articles |posts |stories )?(?:by|from) [\w .'-]+|weitere (?:artikel|beiträge))"
)


def box_name(link: etree._Element, href: str) -> str | None:
    """The name an author box writes beside its link to that person's articles, when the link's
    address spells it ("Johanna Kropfitsch" above
    "<a href='/search/?searchword=johanna-kropfitsch&searchphrase=author'>Alle Artikel</a>")."""
    box = link
    for _ in range(3):
        box = box.getparent()
        if box is None:
            return None
        text = clean_text(box).replace(clean_text(link), " ").strip(" |·•:–—")
        if text:
            break
    words = text.split()
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return None
    address = href.casefold()
    return text if all(any(form in address for form in slug_forms(w)) for w in words) else None


def slug_forms(word: str) -> tuple[str, str]:
    """How a slug spells a word: umlauts as two letters or accents dropped ("Führes" ->
    "fuehres", "fuhres")."""
    low = word.casefold().strip(".")
    expanded = low.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return expanded, unicodedata.normalize("NFKD", low).encode("ascii", "ignore").decode()


def signature_of(p: etree._Element, own: str) -> str | None:
    """The name a paragraph signs the article with: a lone emphasized name, a name above the
    day it was written ("Benni<br>10. September 2017"), or a name in parentheses closing the
    article's last paragraph ("... bleibt spannend. (Christian P. Stadtfeld)")."""
    if not len(p):
        return closing_signature(p)
    if not own and len(p) == 1 and (name := signature_text(p)):
        return name
    if (p[0].tag == "br" or not own) and (name := dated_signature(p, own)):
        return name
    return closing_signature(p) or signed_last_line(p)


MAX_SIGNATURE = 40  # characters of a signature's name line
MIN_SIGNED_WORDS = 4  # words of the sentence a closing name in parentheses signs
MAX_WEEKDAY = 12  # characters of a weekday written before the day ("Donnerstag, ")


def dated_signature(p: etree._Element, own: str) -> str | None:
    """"<p>Benni<br>10. September 2017</p>", "<p><em>Marta Kowalski</em><br>April 3, 2019</p>"
    after the article's text: letters and blog posts are signed with the writer's name above
    the day (one word, a first name, is enough: the date under it makes the line a signature)."""
    rest = list(p)
    if not own and rest[0].tag in EMPHASIS and not len(rest[0]) and not (rest[0].tail or "").strip():
        own, rest = " ".join((rest[0].text or "").split()), rest[1:]
    words = own.split()
    if not 1 <= len(words) <= 3 or len(own) > MAX_SIGNATURE or not all(w[:1].isupper() for w in words):
        return None
    if not rest or len(rest) > 2 or any(c.tag != "br" for c in rest):
        return None
    day = " ".join(" ".join(c.tail or "" for c in rest).split())
    snippet = meta_dates.date_snippet(day) if day and len(day) <= MAX_SIGNATURE else None
    # the day, perhaps after its weekday ("Sonntag, 10. September 2017")
    if not snippet or len(day.rstrip(".")) - len(snippet) > MAX_WEEKDAY or snippet not in day:
        return None
    prev = p.getprevious()
    return own if prev is not None and prev.tag == "p" and "".join(prev.itertext()).strip() else None


def signed_last_line(p: etree._Element) -> str | None:
    """"... an den Ort unserer tiefsten Gefühle …<br><em>Claudia Duwe</em>": the paragraph's
    last line, after a line break, is an emphasized name of two or three capitalised words."""
    last = p[-1]
    if last.tag not in EMPHASIS or len(last) or (last.tail or "").strip() or len(p) < 2 or p[-2].tag != "br":
        return None
    if (p[-2].tail or "").strip():
        return None
    text = " ".join((last.text or "").split())
    words = text.split()
    if not 2 <= len(words) <= 3 or len(text) > MAX_SIGNATURE or not all(w[:1].isupper() for w in words):
        return None
    return text if len("".join(p.itertext())) - len(last.text or "") >= MIN_SIGNED_PARAGRAPH else None


# "... bleibt spannend. (Christian P. Stadtfeld) +++": two to four capitalised words in
# parentheses end the text, as regional papers sign their reports
CLOSING_NAME = re.compile(
    r"(?<![„“\"»«”])\s\(((?:[A-ZÀ-Ý][\w'’-]*\.?\s){1,3}[A-ZÀ-Ý][\w'’-]+)\)\s*(?:\+{3})?\s*$"
)


def closing_signature(p: etree._Element) -> str | None:
    """The name in parentheses at the end of the article's last paragraph. Not a quote's
    speaker ("„Wir schaffen das.“ (Angela Merkel)"): the text before it is no quotation."""
    last = ((p[-1].tail if len(p) else p.text) or "").rstrip()
    if not last.endswith((")", "+")):
        return None  # cheap test first
    text = clean_text(p)
    # the name closes a sentence of the text ("(Peter Weber)" alone is a caption or a credit)
    if not (m := CLOSING_NAME.search(text)) or len(text[: m.start()].split()) < MIN_SIGNED_WORDS:
        return None
    if any(sib.tag == "p" and "".join(sib.itertext()).strip() for sib in p.itersiblings()):
        return None  # not the last paragraph: a name in parentheses within the text
    # after the article's paragraphs: not a motto under the site's name, nor a caption
    return m[1] if follows_running_text(p) else None


def text_after(node: etree._Element) -> str | None:
    """The text of the next element after ``node`` (line breaks and their tails skipped:
    "<b>Von:</b><br><br> Götz Warnke"); None when nothing follows in the same parent."""
    for sib in node.itersiblings():
        if sib.tag == "br" or not isinstance(sib.tag, str):
            if tail := " ".join((sib.tail or "").split()):
                return tail
            continue
        return clean_text(sib)
    return None


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
    # the headline: the first <h1> that is not the site's logo, not a widget's own title
    # ("<h1 class=widget-title>Neueste Kommentare</h1>" in a blog sidebar) and says something
    h1 = next(
        (h for h in h1s if not is_logo_heading(h, url) and not off_article_match(hint_of(h)) and len(clean_text(h).split()) >= 2),
        None,
    )
    if h1 is None:
        h1 = next((h for h in h1s if not is_logo_heading(h, url) and len(clean_text(h).split()) >= 2), h1s[0] if h1s else None)
    page = Page(url=url, tree=tree, layout=frozenset(h1.iterancestors()) if h1 is not None else frozenset(), headline=h1)
    read_meta(tree, page)
    read_head(tree, page)
    body = tree.find("body")
    if body is not None:
        read_body(body, page)
        page.body_text = " ".join(page.leads)
    if h1 is not None:
        page.after_headline = " ".join("".join(_AFTER_H1(h1)).split())[:400]
        page.above_headline = line_above(h1)
    return page


def line_above(h1: etree._Element) -> str:
    """The text of the element right before the headline when it is a short line (a topline
    such as "<div class=topline><span>06.12.2022</span></div>")."""
    prev = h1.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()  # comments
    if prev is None or prev.tag in _SKIP_TAGS:
        return ""
    text = clean_text(prev)
    return text if len(text) <= 40 else ""


# the text right after the headline, where templates without byline markup write the date
_AFTER_H1 = etree.XPath("(following::text()[not(ancestor::script) and not(ancestor::style)])[position() <= 60]")
