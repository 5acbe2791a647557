"""Article metadata from one HTML page: title, authors, dates, language, agency, dateline, tags.

Plain functions (HTML string in, frozen dataclasses out): no network, no files, no Prefect.
The page is parsed once with lxml (tasks/meta_page.py collects the raw material in one pass);
every field is chosen from ranked candidate sources and the winning source is recorded in
``Metadata.sources``. The ranking and the rules are documented in docs/METADATA.md.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable, Iterator, Mapping

import lxml.html
from lxml import etree

from tasks import meta_authors, meta_dates, meta_jsonld
from tasks.meta_page import AUTHOR_HREF, TAG_HREF, TRAFILATURA_AUTHOR_WORDS, Page, clean_text, read_page
from tasks.meta_titles import choose_title
from tasks.meta_types import EMPTY_METADATA, DateValue, Metadata, Tag
from tasks.urls import host_of, join_url

__all__ = ["DateValue", "Metadata", "Tag", "extract_metadata", "parse_tree"]

Candidate = tuple[str, str]  # (raw value, source)

OG_PUBLISHED = ("article:published_time", "og:published_time", "og:article:published_time", "article:published")
OG_UPDATED = ("article:modified_time", "og:updated_time", "article:updated_time", "og:article:modified_time")
META_PUBLISHED = (
    "citation_publication_date", "citation_date", "citation_online_date", "dc.date.issued", "dcterms.issued",
    "dc.date", "dcterms.date", "dc.date.created", "dcterms.created", "parsely-pub-date", "sailthru.date",
    "article.published", "article_date_original", "original-publish-date", "publish-date", "publish_date",
    "publishdate", "published_date", "publication_date", "pubdate", "pub_date", "date.published",
    "dc.date.published", "cxenseparse:recs:publishtime", "date", "displaydate", "release_date",
)
META_UPDATED = (
    "dcterms.modified", "dc.date.modified", "article.updated", "last-modified", "lastmod", "revised", "date.modified",
)
MICRODATA_PUBLISHED = ("datepublished", "datecreated")
MICRODATA_UPDATED = ("datemodified",)
META_AUTHORS = (
    "author", "article:author", "og:article:author", "dc.creator", "dcterms.creator", "citation_author",
    "parsely-author", "sailthru.author", "byl", "dcsext.author", "authors", "creator",
)
PUBLISHED_LABEL = re.compile(
    r"\b(?:published|posted|created|first published|released|veröffentlicht|erstellt|erschienen|"
    r"publié|publicado|pubblicato|gepubliceerd|datum|date)\b",
    re.I,
)
UPDATED_LABEL = re.compile(
    r"\b(?:updated|last updated|modified|aktualisiert|geändert|stand|mis à jour|actualizado|aggiornato|"
    r"bijgewerkt|atualizado)\b",
    re.I,
)
PLACE_HINT = re.compile(r"location|dateline|place|\bcity\b|\bort\b", re.I)
AGENCY_HINT = re.compile(r"\bsource\b|agency|credit|wire|provider", re.I)
TAG_LABELS = {
    "country": "country", "countries": "country", "land": "country", "länder": "country",
    "region": "country", "regions": "country",
    "topic": "topic", "topics": "topic", "thema": "topic", "themen": "topic", "subject": "topic",
    "subjects": "topic", "themes": "topic",
    "tags": "keyword", "tag": "keyword", "keywords": "keyword", "schlagworte": "keyword",
    "schlagwörter": "keyword", "stichworte": "keyword", "stichwörter": "keyword", "mots-clés": "keyword",
    "category": "category", "categories": "category", "section": "category", "kategorie": "category",
    "kategorien": "category", "rubrik": "category", "ressort": "category", "filed under": "category",
}
HREF_KIND = {"countr": "country", "topic": "topic", "them": "topic", "tag": "keyword", "schl": "keyword",
             "cate": "category", "sect": "category"}
US_REGIONS = frozenset({"us", "ph", "fm", "mh", "pw"})  # regions that write dates month first


def parse_tree(html: str, html_elements: bool = False) -> etree._Element | None:
    """lxml tree of the page, or None for a page without markup. Plain lxml elements unless
    ``html_elements`` (lxml.html's element classes, which htmldate requires, cost a Python
    call for every element the walk touches)."""
    if not html or not html.strip():
        return None
    # bytes with an explicit encoding: lxml must not trust a <meta charset> the caller already
    # applied when decoding (a page declaring latin-1 but decoded as UTF-8 would be garbled)
    parser = (lxml.html.HTMLParser if html_elements else etree.HTMLParser)(encoding="utf-8")
    try:
        root = etree.fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root


def extract_metadata(html: str, url: str | None = None, hints: Mapping[str, str] | None = None) -> Metadata:
    """All metadata of one page. ``hints`` (feed values: "title", "published", "author") are
    used only where the page itself states nothing."""
    tree = parse_tree(html)
    if tree is None:
        return EMPTY_METADATA
    hints = hints or {}
    page = read_page(tree, url)
    now = datetime.now(timezone.utc)
    sources: list[tuple[str, str]] = []
    site_name = pick("site_name", site_name_candidates(page), sources)
    title = nfc(choose_title(page, site_name, hints.get("title"), sources))
    authors, agency, dateline = choose_people(page, site_name, hints.get("author"), sources)
    authors = tuple(nfc(a) for a in authors)
    published, updated = choose_dates(page, html, now, hints.get("published"), sources)
    return Metadata(
        title=title,
        authors=authors,
        published=published,
        updated=updated,
        language=choose_language(page, sources),
        site_name=site_name,
        description=pick("description", description_candidates(page), sources),
        canonical_url=pick("canonical_url", url_candidates(page), sources),
        agency=agency,
        dateline=dateline,
        image=pick("image", image_candidates(page), sources),
        tags=choose_tags(page, sources),
        sources=tuple(sources),
    )


def nfc(text: str | None) -> str | None:
    """Composed Unicode (NFC): pages write the same letter composed or decomposed ("ড়" as
    one code point or two); the field is compared and indexed as one spelling."""
    return unicodedata.normalize("NFC", text) if text else text


def pick(name: str, candidates: Iterable[Candidate], sources: list[tuple[str, str]]) -> str | None:
    """First non-empty candidate; its source is recorded."""
    for value, source in candidates:
        value = " ".join(value.split()) if value else ""
        if value:
            sources.append((name, source))
            return value
    return None


def meta_values(page: Page, keys: Iterable[str], source: str) -> Iterator[Candidate]:
    for key in keys:
        for value in page.meta.get(key, ()):
            yield value, source


def jsonld_value(page: Page, *keys: str) -> Iterator[Candidate]:
    if page.article:
        for key in keys:
            if text := meta_jsonld.text_of(page.article.get(key)):
                yield text, "jsonld"


def site_name_candidates(page: Page) -> Iterator[Candidate]:
    yield from meta_values(page, ("og:site_name",), "opengraph")
    if name := meta_jsonld.find_publisher_name(page.jsonld_blocks, page.article):
        yield name, "jsonld"
    yield from meta_values(page, ("application-name", "dc.publisher", "dcterms.publisher", "publisher"), "meta")


def description_candidates(page: Page) -> Iterator[Candidate]:
    yield from meta_values(page, ("og:description",), "opengraph")
    yield from meta_values(page, ("description", "twitter:description", "dc.description", "dcterms.description"), "meta")
    yield from jsonld_value(page, "description")


def url_candidates(page: Page) -> Iterator[Candidate]:
    base = page.url or ""
    if page.canonical:
        yield join_url(base, page.canonical), "canonical"
    for value, source in meta_values(page, ("og:url",), "opengraph"):
        yield join_url(base, value), source
    for value, source in jsonld_value(page, "url"):
        yield join_url(base, value), source
    if page.url:
        yield page.url, "url"


def image_candidates(page: Page) -> Iterator[Candidate]:
    base = page.url or ""
    for value, source in meta_values(page, ("og:image", "og:image:url", "og:image:secure_url"), "opengraph"):
        yield join_url(base, value), source
    for value, source in meta_values(page, ("twitter:image", "twitter:image:src", "thumbnail"), "meta"):
        yield join_url(base, value), source
    if page.article:
        image = page.article.get("image")
        image = image[0] if isinstance(image, list) and image else image
        url = image.get("url") if isinstance(image, dict) else image
        if isinstance(url, str) and url.strip():
            yield join_url(base, url.strip()), "jsonld"


# ---------------------------------------------------------------- language


def choose_language(page: Page, sources: list[tuple[str, str]]) -> str | None:
    return declared_language(page, sources) or detect_language(language_sample(page), sources)


def language_sample(page: Page) -> str:
    return page.body_text or page.title_tag or ""


def declared_language(page: Page, sources: list[tuple[str, str]]) -> str | None:
    declared = [(page.lang_attr or "", "html")]
    declared += list(meta_values(page, ("og:locale",), "opengraph"))
    declared += list(meta_values(page, ("content-language", "dc.language", "dcterms.language", "language"), "meta"))
    declared += list(jsonld_value(page, "inLanguage"))
    for value, source in declared:
        code = re.split(r"[-_]", value.strip().lower())[0]
        if re.fullmatch(r"[a-z]{2,3}", code):
            sources.append(("language", source))
            return code
    return None


# CLD2's codes that differ from ISO 639-1; "xx-Arab" and the like name a script, not a language.
_CLD2_CODES = {"iw": "he", "jw": "jv"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")   # CLD2 refuses them as invalid UTF-8


def detect_language(text: str, sources: list[tuple[str, str]]) -> str | None:
    """Offline detection when the page declares no language: Google's CLD2 (pycld2), whose tables
    are compiled into its library. It replaced py3langid, whose 70 MB model each process held in
    memory of its own: CLD2 costs a few MB of shared library pages and 0.14-0.18 ms a page
    (bench/language.py, bench/parseworkers.py; docs/METADATA.md, "Language detection")."""
    if len(text) < 40:
        return None
    import pycld2

    data = _CONTROL.sub(" ", text).encode("utf-8", "ignore")   # "ignore": lone surrogates
    try:
        _, _, languages = pycld2.detect(data, isPlainText=True)
    except pycld2.error:
        return None
    code = languages[0][1]
    if code == "un" or code.startswith("xx-"):
        return None
    sources.append(("language", "detector"))
    return _CLD2_CODES.get(code, code.split("-")[0])


def page_region(page: Page) -> str | None:
    """The region subtag the page declares (en-US -> us), from lang, og:locale or Content-Language."""
    for value in [page.lang_attr or ""] + page.meta.get("og:locale", []) + page.meta.get("content-language", []):
        parts = re.split(r"[-_]", value.strip().lower())
        if len(parts) > 1 and re.fullmatch(r"[a-z]{2}", parts[1]):
            return parts[1]
    return None


# ---------------------------------------------------------------- dates


def decide_day_first(page: Page, texts: list[str]) -> bool | None:
    """Day-first versus month-first for ambiguous numeric dates: the other dates on the page
    (consistency) first, then the declared region; None lets the time-zone abbreviation of the
    date itself decide (EST -> month first, IST -> day first), day first by default."""
    votes = meta_dates.numeric_order_votes(texts)
    if votes:
        return votes > 0
    region = page_region(page)
    if region:
        return region not in US_REGIONS
    return None


def byline_texts(page: Page) -> list[str]:
    texts = []
    for el in page.bylines:
        text = clean_text(el)
        if 4 <= len(text) <= 300 and text not in texts:
            texts.append(text)
    return texts


def byline_date_candidates(page: Page) -> tuple[list[str], list[str]]:
    """Dates written in bylines: (published raws, updated raws), by their labels."""
    published, updated = [], []
    for text in byline_texts(page):
        for part in re.split(r"\s*[|•·]\s*|\s{2,}", text):
            if not re.search(r"\d", part):
                continue
            snippet = meta_dates.date_snippet(part)
            if not snippet:
                continue
            if UPDATED_LABEL.search(snippet):
                updated.append(snippet)
            else:
                published.append(snippet)
    return published, updated


# a <time> in a comment or in the site's navigation bar ("Mittwoch, 01. November 2023", the day
# the page was served) dates something else than the article
NOT_ARTICLE_TIME = re.compile(r"comment(?!ary)|(?:^|[\s_-])nav(?:bar|top|wrap|igation|\b|[-_])", re.I)


def time_candidates(page: Page) -> tuple[list[str], list[str], list[str]]:
    """<time> values: (published raws, updated raws, raws of other things' times: a comment's
    or the navigation bar's, kept only as evidence of the page's offset and date order)."""
    published, updated, others = [], [], []
    for attr, text, hint in page.times:
        raw = attr or text
        if NOT_ARTICLE_TIME.search(hint):
            others.append(raw)
        elif re.search(r"updat|modif|aktualisiert", hint + " " + text, re.I):
            updated.append(raw)
        else:
            published.append(raw)
    return published, updated, others


def date_sources(page: Page, hint: str | None) -> tuple[list[Candidate], list[Candidate], list[Candidate]]:
    published = list(jsonld_value(page, "datePublished", "dateCreated"))
    updated = list(jsonld_value(page, "dateModified"))
    published += meta_values(page, OG_PUBLISHED, "opengraph")
    updated += meta_values(page, OG_UPDATED, "opengraph")
    published += meta_values(page, META_PUBLISHED, "meta")
    updated += meta_values(page, META_UPDATED, "meta")
    for key in MICRODATA_PUBLISHED:
        published += [(v, "microdata") for v in page.microdata.get(key, []) + page.meta.get(key, [])]
    for key in MICRODATA_UPDATED:
        updated += [(v, "microdata") for v in page.microdata.get(key, []) + page.meta.get(key, [])]
    time_pub, time_upd, time_other = time_candidates(page)
    published += [(v, "time") for v in time_pub]
    updated += [(v, "time") for v in time_upd]
    others = [(v, "time-other") for v in time_other]
    by_pub, by_upd = byline_date_candidates(page)
    published += [(v, "byline") for v in by_pub]
    updated += [(v, "byline") for v in by_upd]
    # a topline that is only a date, right above the headline ("06.12.2022")
    if (above := page.above_headline) and meta_dates.date_snippet(above) == above:
        published.append((above, "headline"))
    if (snippet := meta_dates.date_snippet(page.after_headline)) and not UPDATED_LABEL.search(snippet):
        published.append((snippet, "headline"))
    published += [(lead, "lead") for lead in dated_leads(page)]
    if hint:
        published.append((hint, "feed"))
    return published, updated, others


# a paragraph that opens with its date, like a dateline: "29.11.2022 – Mehrfach hatte ...",
# "March 3, 2021: The council ..."
DATED_LEAD = re.compile(r"^\s*(?P<date>[^–—:|]{6,40}?)\s*(?:[–—|:]|\s-)\s+\S")
# the same date set in parentheses, as press releases write it: "(21. November 2022) Energie..."
BRACKETED_LEAD = re.compile(r"^\s*\((?P<date>[^()]{6,40})\)\s*(?:[–—:-]\s*)?\w")


def dated_leads(page: Page) -> list[str]:
    """The date an article's opening paragraph starts with (the first two paragraphs after
    the headline, or of the page without one)."""
    found = []
    for lead in (page.article_leads if page.headline is not None else page.leads)[:2]:
        for m in (DATED_LEAD.match(lead), BRACKETED_LEAD.match(lead)):
            if m and meta_dates.date_snippet(m["date"]) == m["date"].strip():
                found.append(m["date"].strip())
                break
    return found


def first_date(candidates: list[Candidate], now: datetime, day_first: bool | None) -> DateValue | None:
    for raw, source in candidates:
        parsed = meta_dates.parse_date(raw, now, day_first)
        if parsed:
            return DateValue(parsed.value, " ".join(raw.split()), source)
    return None


def choose_dates(
    page: Page, html: str, now: datetime, hint: str | None, sources: list[tuple[str, str]]
) -> tuple[DateValue | None, DateValue | None]:
    published_c, updated_c, others_c = date_sources(page, hint)
    day_first = decide_day_first(page, [raw for raw, _ in published_c + updated_c + others_c])
    # the feed hint is the last resort, after the URL and htmldate
    feed = [c for c in published_c if c[1] == "feed"]
    published = first_date([c for c in published_c if c[1] != "feed"], now, day_first)
    published = prefer_visible(published, published_c, updated_c, now, day_first)
    published = prefer_shown_over_meta(published, page, now, day_first)
    published = prefer_url_confirmed(published, published_c, page.url, now, day_first)
    if published is None and (url_date := meta_dates.find_url_date(page.url, now)):
        published = DateValue(url_date.value, page.url or "", "url")
    if published is None:
        published = find_htmldate(html, page.url, now) or first_date(feed, now, day_first)
    updated = first_date(updated_c, now, day_first)
    dates = all_dates(published_c + updated_c + others_c, now, day_first)
    offset = page_offset(dates)
    # the first date written for readers (a <time>'s machine value with an offset is not)
    shown = next((d for d in dates if d.source in VISIBLE and not has_offset(d.value)), None)
    published = keep_shown_day(published, to_page_offset(published, offset), shown)
    updated = to_page_offset(updated, offset)
    if published:
        sources.append(("published", published.source))
    if updated:
        sources.append(("updated", updated.source))
    return published, updated


def has_offset(value: str) -> bool:
    return "T" in value and datetime.fromisoformat(value).utcoffset() is not None


def keep_shown_day(value: DateValue | None, converted: DateValue | None, shown: DateValue | None) -> DateValue | None:
    """The page offset rule must not move the publication off the day the page shows: a site
    that displays its UTC times as local ("6 May 2022 - 2:00" for 02:00Z) while stating -05:00
    elsewhere keeps the shown day."""
    if value is None or converted is None or shown is None:
        return converted
    if value.value[:10] == shown.value[:10] != converted.value[:10]:
        return value
    return converted


def page_offset(dates: list[DateValue]) -> timezone | None:
    """The one non-UTC offset the page's own dates state, if they agree on one."""
    offsets = {datetime.fromisoformat(d.value).utcoffset() for d in dates if "T" in d.value}
    offsets.discard(None)
    offsets.discard(timedelta(0))
    return timezone(offsets.pop()) if len(offsets) == 1 else None


def to_page_offset(value: DateValue | None, offset: timezone | None) -> DateValue | None:
    """An instant stated in UTC, rewritten in the offset the page uses elsewhere: the same
    instant, on the page's local calendar day ("2019-10-18T22:04:00Z" on a page that writes
    +02:00 is 19 October)."""
    if value is None or offset is None or "T" not in value.value:
        return value
    stamp = datetime.fromisoformat(value.value)
    if stamp.utcoffset() != timedelta(0):
        return value
    return DateValue(stamp.astimezone(offset).isoformat(), value.raw, value.source)


STRUCTURED = frozenset({"jsonld", "opengraph", "meta", "microdata"})
VISIBLE = frozenset({"byline", "time", "headline", "lead"})


def all_dates(candidates: list[Candidate], now: datetime, day_first: bool | None) -> list[DateValue]:
    found = []
    for raw, source in candidates:
        if parsed := meta_dates.parse_date(raw, now, day_first):
            found.append(DateValue(parsed.value, " ".join(raw.split()), source))
    return found


def prefer_visible(
    chosen: DateValue | None, published_c: list[Candidate], updated_c: list[Candidate], now: datetime, day_first: bool | None
) -> DateValue | None:
    """When the date the article shows its readers (byline, <time>, under the headline)
    disagrees with the winning hidden value, another hidden candidate of the shown day wins
    (a dateModified that the page displays, or the same instant written in the local zone);
    it keeps its time and offset."""
    if chosen is None or chosen.source not in STRUCTURED:
        return chosen
    visible = [d for d in all_dates(published_c, now, day_first) if d.source in VISIBLE]
    if not visible or visible[0].value[:10] == chosen.value[:10]:
        return chosen
    shown = visible[0]
    hidden = [d for d in all_dates(published_c + updated_c, now, day_first) if d.source in STRUCTURED]
    # a modification comes after the publication: an "update" days earlier is no evidence
    # (one day earlier is the same instant written in another zone)
    earliest = (date.fromisoformat(chosen.value[:10]) - timedelta(days=1)).isoformat()
    same_day = [d for d in hidden if d.value[:10] == shown.value[:10] and d.value[:10] >= earliest]
    if same_day:
        return same_day[0]
    # a visible local time that is the hidden UTC instant seen from the site's zone gives the
    # page's offset ("9:25 PM" shown, "02:25Z" stated: -05:00)
    # a visible date that no hidden candidate confirms otherwise loses: on the dev set it is as
    # often a related article's or a comment's date as the article's own
    return shift_to_shown_zone(chosen, shown) or chosen


def prefer_shown_over_meta(
    chosen: DateValue | None, page: Page, now: datetime, day_first: bool | None
) -> DateValue | None:
    """A generic <meta> date ("date", "dc.date", "publish-date": often the CMS's date of the
    page, set when it is edited or generated) loses to the date the article shows right
    under its headline (in the 400 characters after the headline <h1>: a <time> there keeps
    its machine-readable value). Article-specific structured dates (JSON-LD,
    article:published_time) are not overridden (see prefer_visible)."""
    if chosen is None or chosen.source != "meta" or not page.after_headline:
        return chosen
    snippet = meta_dates.date_snippet(page.after_headline)
    if not snippet:
        return first_time_after_headline(chosen, page, now, day_first)
    shown = first_date([(snippet, "headline")], now, day_first)
    if shown is None or shown.value[:10] == chosen.value[:10]:
        return chosen
    if UPDATED_LABEL.search(snippet):
        # "Stand: 28.04.2020" under the headline and a meta date of 29 April: the page was last
        # changed before the meta date, which is then the CMS's date of the page, not the
        # publication; the shown state is the closest the page tells
        return shown if shown.value[:10] < chosen.value[:10] else chosen
    # the same date as a <time> below the headline: its datetime attribute has time and offset
    for attr, text, hint in page.times[page.times_before_headline:]:
        if attr and text and text in page.after_headline and not UPDATED_LABEL.search(hint + " " + text):
            stamped = meta_dates.parse_date(attr, now, day_first)
            if stamped and stamped.value[:10] == shown.value[:10]:
                return DateValue(stamped.value, attr, "time")
    return shown


def first_time_after_headline(chosen: DateValue, page: Page, now: datetime, day_first: bool | None) -> DateValue:
    """Without a date right under the headline: the first <time> after the headline, when it
    is a publication date (not "updated") with a machine value, beats a generic meta date;
    not when a <time> comes before the headline (the article's own, in its header: the later
    ones date lists of other articles)."""
    if page.times_before_headline:
        return chosen
    for attr, text, hint in page.times:
        if re.search(r"updat|modif|aktualisiert|list|teaser|related|comment", hint + " " + text, re.I):
            continue
        stamped = meta_dates.parse_date(attr, now, day_first) if attr else None
        if stamped and stamped.value[:10] != chosen.value[:10]:
            return DateValue(stamped.value, attr, "time")
        break
    return chosen


def prefer_url_confirmed(
    chosen: DateValue | None, published_c: list[Candidate], url: str | None, now: datetime, day_first: bool | None
) -> DateValue | None:
    """Two independent sources against one: when the date in the URL and the first visible
    date name the same day and the hidden winner another day, the visible date wins (a UTC
    instant whose local day is the day before, "2020-02-25T02:25Z" on a New York page whose
    URL and byline say 24 February)."""
    if chosen is None or chosen.source not in STRUCTURED | VISIBLE:
        return chosen
    url_date = meta_dates.find_url_date(url, now)
    if url_date is None or url_date.value == chosen.value[:10]:
        return chosen
    visible = [d for d in all_dates(published_c, now, day_first) if d.source in VISIBLE]
    if chosen.source in VISIBLE:
        # a visible winner (a byline's "19.5.2007") against a later visible date of the URL's
        # day ("20. Mai 2007" under the headline, /2007/05/20/): the one the URL confirms
        return next((d for d in visible if d.value[:10] == url_date.value), chosen)
    if visible and visible[0].value[:10] == url_date.value and within_day(chosen.value, url_date.value):
        return visible[0]
    return chosen


def within_day(value: str, day: str) -> bool:
    """``value``'s day is at most one day from ``day`` (the same instant in another zone)."""
    return abs(date.fromisoformat(value[:10]) - date.fromisoformat(day)) <= timedelta(days=1)


def shift_to_shown_zone(chosen: DateValue, shown: DateValue) -> DateValue | None:
    """``chosen`` (stated in UTC) rewritten in the offset that makes it read as ``shown`` (a
    local time without offset), when that offset is a plausible zone (whole quarter hours,
    at most 14 hours)."""
    if "T" not in chosen.value or "T" not in shown.value:
        return None
    stamp, local = datetime.fromisoformat(chosen.value), datetime.fromisoformat(shown.value)
    if stamp.utcoffset() != timedelta(0) or local.tzinfo is not None:
        return None
    delta = local.replace(second=0, microsecond=0) - stamp.replace(tzinfo=None, second=0, microsecond=0)
    quarters, rest = divmod(delta.total_seconds(), 900)
    if rest or abs(delta) > timedelta(hours=14) or delta == timedelta(0):
        return None
    zone = timezone(timedelta(seconds=quarters * 900))
    return DateValue(stamp.astimezone(zone).isoformat(), chosen.raw, chosen.source)


def find_htmldate(html: str, url: str | None, now: datetime) -> DateValue | None:
    """htmldate's extensive search (it works on a copy of the tree) as the last page source.
    htmldate takes lxml.html trees only: the page is parsed again, for the few pages that
    get here, rather than every page paying for lxml.html's element classes."""
    from htmldate import find_date  # imported here: htmldate is only needed when nothing else dates the page

    tree = parse_tree(html, html_elements=True)
    if tree is None:
        return None
    url = meta_dates.original_url(url) if url else url
    found = find_date(tree, extensive_search=True, original_date=True, url=url, outputformat="%Y-%m-%d")
    parsed = meta_dates.parse_date(found, now) if found else None
    return DateValue(parsed.value, found, "htmldate") if parsed else None


# ---------------------------------------------------------------- authors, agency, dateline


def author_sources(page: Page) -> Iterator[Candidate]:
    if page.article:
        ids = meta_jsonld.index_ids(page.jsonld_blocks)
        people, orgs = meta_jsonld.find_people(page.article.get("author") or page.article.get("creator"), ids)
        if people:
            yield "; ".join(people), "jsonld"
        for org in orgs:
            yield org, "jsonld-organization"
    for key in META_AUTHORS:
        values = [v for v in page.meta.get(key, []) if not v.startswith("http")]
        if values:
            yield "; ".join(values), "meta"
    if written_by := labelled_meta_author(page):
        yield written_by, "meta"
    for key in ("author", "creator"):
        if page.microdata.get(key):
            yield page.microdata[key][0], "microdata"
    if page.author_links:
        yield "; ".join(dict.fromkeys(page.author_links)), "rel-author"
    bylines = page.bylines
    texts = {el: spaced_text(el) for el in bylines}  # read once: both loops below need them
    pairs = {el: pair for el in bylines if (pair := credit_pair(el))}
    in_pairs = credit_list_parts(bylines, pairs)
    for el, (label, name) in pairs.items():
        if WRITER_LABEL.fullmatch(label):
            yield f"By {name}", "byline"
    for el in bylines:
        if el in in_pairs:
            continue  # a credit list's other roles (photography, styling) name no author
        if el.tag == "byline" or AUTHOR_CLASS.search((el.get("class") or "") + " " + (el.get("id") or "")):
            text = texts[el]
            if len(meta_authors.strip_prefix(text).strip(" :")) < 2 and el.getparent() is not None:
                text = spaced_text(el.getparent())  # "<span class=by>By</span> <a>Name</a>"
            yield text, "byline-account" if links_own_archive(el, text) else "byline"
    for text in page.by_texts:
        yield text, "byline"
    for name in archive_link_names(page):
        yield name, "byline"
    # "记者：张三" before "责任编辑：焦鹏" (stable sort: page order within a rank)
    for _, name in sorted(page.cjk_credits, key=lambda credit: credit[0]):
        yield name, "byline"
    # the article signed at its end: the last paragraph that is one emphasized name
    for text in reversed(page.signatures):
        yield text, "signature"
    # an author box, in a side column too: one name beside a link to that person's articles
    # (several are a list of the site's authors)
    if len(set(page.box_names)) == 1:
        yield page.box_names[0], "author-box"
    # a personal site's copyright line ("© Stylegart by Ramona"): the owner, who writes its
    # posts; last, as any credit of the post itself names its writer better
    for name in page.copyright_names:
        if not COMPANY_NAME.search(name):
            yield f"By {name}", "copyright"
    # "Posted on 21 September 2020 by Adi Tzlil" in a post-meta/date line
    # (a plain "by" only in a line: not in a container of the whole post, as Blogger's
    # "date-outer" is)
    for el in bylines:
        if m := (BY_NAME if len(texts[el]) <= MAX_META_LINE else POSTED_BY_NAME).search(texts[el]):
            # "Powered by WP", "Theme by Themeisle": the site's software, not the post's writer
            if not PLATFORM_BY.search(texts[el], 0, m.start(1)):
                yield m[1], "byline"
    # the post-meta line of WordPress's classic theme: "Filed under: Kultur — jancak @ 00:11"
    for el in bylines:
        if len(texts[el]) <= MAX_META_LINE and (m := AT_TIME_CREDIT.search(texts[el])):
            yield m[1], "byline-account"


# the roles of a magazine's credit list that wrote the piece ("Interview", "Text"); the others
# ("Fotograf", "Styling", "Haare & Make-up") made the pictures
WRITER_LABEL = re.compile(
    r"(?:text|texte|words|story|interview|autor(?:in|en)?|authors?|auteur|reporter|reportage|written by|by|von)", re.I
)
MAX_CREDIT_LABEL = 40  # characters of a role label in a credit list


def credit_pair(el: etree._Element) -> tuple[str, str] | None:
    """(role, name) of a credit-list entry: two child elements, a short label and a name
    ("<div class=credit><div class=label>Interview</div><div class=text>SVEN MICHAELSEN</div></div>")."""
    children = [c for c in el if isinstance(c.tag, str)]
    if len(children) != 2 or (el.text or "").strip() or any(len(c) for c in children):
        return None
    label, name = (" ".join((c.text or "").split()).rstrip(":") for c in children)
    if not label or not name or len(label) > MAX_CREDIT_LABEL or len(name.split()) > 4:
        return None
    return label, name


def credit_list_parts(bylines: list[etree._Element], pairs: dict) -> set[etree._Element]:
    """The elements of a credit list of two or more role/name pairs: the pairs, their label and
    name elements and the list around them, which the pairs are read from instead."""
    if len(pairs) < 2:
        return set()
    parts = set(pairs)
    for el in bylines:
        if el.getparent() in pairs or sum(1 for sub in el.iterdescendants() if sub in pairs) >= 2:
            parts.add(el)
    return parts


# copyright holders that are publications or companies ("The Guardian", "Snopes Media Group",
# "Cruz Bay Publishing"), not the person who owns a personal site
COMPANY_NAME = re.compile(
    r"^(?:The|Die|Der|Das|Le|La|Les|El)\s|\b(?:Media|Group|Publishing|Publications|Digital|News|Press|Verlag|Network|"
    r"Studios?|Productions?|Inc|Ltd|LLC|Corp)\.?$"
)


def plain_ascii(text: str) -> str:
    """``text`` in lower case without accents ("Führes" -> "fuhres")."""
    return unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()


def fold_ascii(text: str) -> str:
    """``text`` as German slugs spell it: umlauts as two letters ("Führes" -> "fuehres")."""
    return plain_ascii(text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss"))


def archive_link_names(page: Page) -> Iterator[str]:
    """Names written as the link to that person's author page ("<a href='/autoren/kathrin-fuehres-684124'>
    Kathrin Führes</a>"): the link's target spells every word of the name, so the text is the
    author's name and not a label ("Alle Autoren") or a teaser. Links side by side in one
    element are one credit ("By <a>Matthew Digby</a>, <a>Minh Do</a>")."""
    groups: dict[Any, list[str]] = {}
    for text, href, parent in page.archive_links:
        if spells_name(text, href) and text not in groups.setdefault(parent, []):
            groups[parent].append(text)
    for names in groups.values():
        if names:
            yield "; ".join(names)


def spells_name(text: str, href: str) -> bool:
    """``text`` is a name of two to four capitalised words that the author page's slug spells."""
    words = text.split()
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return False
    slug = AUTHOR_HREF.search(href)
    folded = fold_ascii(slug[1]) if slug else ""
    # "Führes" is "fuehres" or "fuhres" in a slug
    return all(fold_ascii(w).strip(".") in folded or plain_ascii(w).strip(".") in folded for w in words)


def links_own_archive(el: etree._Element, text: str) -> bool:
    """An author box that is one word linking to an author archive ("<a
    href='/author/surfguard/'>surfguard</a>", WordPress's user pages): a user account."""
    if " " in text or not text or len(text) > 30:
        return False
    return any("/author/" in (a.get("href") or "") and (a.text or "").strip() == text for a in el.iter("a"))


# the "Written by" label of twitter:label1/twitter:data1 pairs (WordPress SEO plugins)
WRITTEN_BY_LABEL = re.compile(
    r"^(?:written by|author|verfasst von|geschrieben von|autor(?:in)?|écrit par|auteur|escrito por|scritto da|"
    r"geschreven door)$",
    re.I,
)


def labelled_meta_author(page: Page) -> str | None:
    """twitter:data<N> whose twitter:label<N> says "Written by" (in one of several languages)."""
    for n in range(1, 5):
        labels, data = page.meta.get(f"twitter:label{n}", []), page.meta.get(f"twitter:data{n}", [])
        if labels and data and WRITTEN_BY_LABEL.match(labels[0].strip()):
            return data[0]
    return None


MAX_HANDLE_LINE = 40  # characters of a credit line that may name a user ("by oz on December 4, 2006")
MAX_META_LINE = 200  # characters of a post-meta line ("Posted on 21 September 2020 by Adi Tzlil | 3 comments")
AUTHOR_CLASS = re.compile(r"author|\bautor|byline|writer|by-line|credit|vcard|contributor", re.I)
_NAME_AFTER_BY = (
    r"([A-ZÀ-Ý][\w'’.-]*(?:\s+(?:[A-ZÀ-Ý][\w'’.-]*|(?:von|van|de|da|del|der|den|di|du|la|le|zu)(?=\s+[A-ZÀ-Ý]))){0,3})"
)
BY_NAME = re.compile(r"(?:^|\s)(?:by|By|BY|von|Von|par|Par|por|Por|door|Door)\s+" + _NAME_AFTER_BY)
# in a container longer than a line (a whole post with its meta line), only a labelled credit:
# "Posted by Nesselsetzer under Just For Fun", not "Winnetou von Karl May" or "filed by Mahmud ..."
POSTED_BY_NAME = re.compile(
    r"(?:^|\s)(?i:posted|written|geschrieben|verfasst|veröffentlicht|publiziert|gepostet|publié|publicado|escrito)"
    r"\s+(?i:by|von|par|por|door)\s+" + _NAME_AFTER_BY
)
# the words before a "by" that credit the site's software ("Powered by WP", "Theme by ...")
PLATFORM_BY = re.compile(r"\b(?:powered|theme|designed|design|hosted|template|built|developed)\s+by\s*$", re.I)
# "— jancak @ 00:11": a dash, one to three words, "@" and a time
AT_TIME_CREDIT = re.compile(r"[—–]\s+([^\s—–@|]+(?: [^\s—–@|]+){0,2})\s+@\s+\d{1,2}[:.]\d{2}")
# sources that are explicitly author fields: a user name there is an author
AUTHOR_FIELDS = frozenset({"jsonld", "meta", "microdata", "rel-author"})
PERSON_MARKUP = frozenset({"jsonld", "microdata", "rel-author"})


def spaced_text(el: etree._Element) -> str:
    """Text of a byline with its elements kept apart ("karsten<a>More Posts</a>")."""
    return " ".join(" ".join(t for t in el.itertext() if isinstance(t, str)).split())


# what trafilatura 2.3's AUTHOR_XPATHS test beyond class/id/itemprop/rel (read in the body walk,
# Page.author_markup): data attributes anywhere, and any markup in <head>
OTHER_AUTHOR_MARKUP = etree.XPath(
    "(//*[@data-component or @data-testid] | /html/head//*["
    + " or ".join(
        f"contains(translate(@{attr}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), '{word}')"
        for attr in ("class", "id", "rel", "itemprop")
        for word in TRAFILATURA_AUTHOR_WORDS
    )
    + "])[1]"
)


def trafilatura_author(page: Page) -> Iterator[Candidate]:
    """trafilatura's byline XPaths as the last page source (it prunes a copy of the tree)."""
    from trafilatura.metadata import extract_author  # imported here: only pages without a byline need it

    # extract_author copies and prunes the tree before its XPaths (with regex tests): when
    # no element of the whole page can match them, the pruned copy has none either
    if page.tree is None or not (page.author_markup or OTHER_AUTHOR_MARKUP(page.tree)):
        return
    if found := extract_author(page.tree):
        yield found, "trafilatura"


def site_words(page: Page, site_name: str | None) -> frozenset[str]:
    names = {site_name.lower()} if site_name else set()
    if page.url:
        host = host_of(page.url)
        names |= {host, host.removeprefix("www."), host.removeprefix("www.").split(".")[0]}
    return frozenset(names)


SECOND_LEVEL = frozenset("co com org net ac gov edu or ne go gv nic".split())  # bbc.co.uk, abc.net.au


def publisher_keys(page: Page, site_name: str | None) -> tuple[str, ...]:
    """The site's name and host label, letters and digits only, lower case."""
    keys = [site_name or ""]
    # the registered name of the host ("attac" of france.attac.org, "bbc" of www.bbc.co.uk)
    labels = [label for label in host_of(page.url or "").split(".")[:-1] if label != "www"]
    while len(labels) > 1 and labels[-1] in SECOND_LEVEL:
        labels.pop()  # co.uk, com.au
    keys += labels[-1:]
    return tuple(k for k in (re.sub(r"\W+", "", key.casefold()) for key in keys) if len(k) >= 4)


def is_label_list(names: tuple[str, ...], source: str) -> bool:
    """Three or more "names" from a byline container, most of them one word: the sections or
    categories written beside the date ("01.12.2022 / CSP / Photovoltaik / Speicher")."""
    return source == "byline" and len(names) >= 3 and sum(len(n.split()) == 1 for n in names) * 2 > len(names)


def is_handle(name: str) -> bool:
    """A user name made of a written name: words joined by dots or underscores
    ("robert.stitz", "gabor_munier"); the written name, where the page has it, is better."""
    if " " in name:
        return False
    # "sarah-indra": a WordPress account's slug, written in lower case (names are capitalised)
    return bool(re.search(r"[^\W\d_][._][^\W\d_]", name)) or name.islower() and "-" in name


def is_user_name(text: str) -> bool:
    """A credit that opens with an account name: lower case, or with digits, dots, underscores."""
    first = text.split()[0] if text.split() else ""
    return first.islower() or bool(re.search(r"\d|\w[._]\w", first))


def names_publisher(raw: str, keys: tuple[str, ...]) -> bool:
    return any(k in re.sub(r"\W+", "", raw.casefold()) for k in keys)


def is_weak(raw: str, names: tuple[str, ...], keys: tuple[str, ...]) -> bool:
    """The names a source gives stand in for the publisher: a name is the site's ("El
    Colombiano"), or the value names the site and leaves only single words ("Makronom",
    "hessenschau.de, Frankfurt, Germany"; not "Troy L. Smith, Cleveland.com"), or every name
    is a user name."""
    if any(names_publisher(name, keys) for name in names) or all(map(is_handle, names)):
        return True
    return names_publisher(raw, keys) and all(len(name.split()) == 1 for name in names)


def choose_authors(found: list[tuple[tuple[str, ...], str, bool, bool]]) -> tuple[tuple[str, ...], str] | None:
    """The first source that names people, unless it is weak: its value names the site
    ("Makronom", "Die FURCHE", "hessenschau.de, Frankfurt": the publisher standing in for the
    author) or is a user name ("robert.stitz"). A weak source yields to a later one with a full
    name (first and last name); alone, it stands (a blog named after its author)."""
    if not found:
        return None
    names, source, publisher = found[0][:3]
    if source in AUTHOR_FIELDS and len(names) == 1 and " " not in names[0]:
        # a first name alone in an author field ("Todd") and a credit line that spells it out
        # ("By Todd Bates"): the same person, written in full
        for other, _, _, credited in found[1:]:
            if credited and len(other) == 1 and other[0].split()[0] == names[0] and " " in other[0]:
                return other, "byline"
    if publisher:
        # a full name the page credits in words ("Autor Mark Newton") before any other (a
        # photo credit written before the byline)
        for other, other_source, other_publisher, credited in found[1:]:
            if not other_publisher and credited and all(len(name.split()) > 1 for name in other):
                return other, other_source
        for other, other_source, other_publisher, credited in found[1:]:
            # a full name, or any name the page credits in words ("Geschrieben von Cooper")
            if not other_publisher and (credited or any(len(name.split()) > 1 for name in other)):
                return other, other_source
    return names, source  # no names: an organisation is credited and no person after it


def choose_people(
    page: Page, site_name: str | None, hint: str | None, sources: list[tuple[str, str]]
) -> tuple[tuple[str, ...], str | None, str | None]:
    """Authors (people only), the wire agency and the dateline city."""
    sites = site_words(page, site_name)
    authors: tuple[str, ...] = ()
    agencies: list[str] = []
    agency, dateline, agency_source, dateline_source = find_agency_dateline(page)
    # a dateline city written in the byline is not a person
    not_people = sites | ({dateline.lower()} if dateline else set())
    keys = publisher_keys(page, site_name)
    # (names, source, weak: the value names the site or is a user name, credited: a "By ..." line)
    found: list[tuple[tuple[str, ...], str, bool, bool]] = []
    for raw, source in author_sources(page):
        if len(raw) > 300:
            continue
        # an author box that is one word linking to its own author archive is an account
        account_box = source == "byline-account"
        source = "byline" if account_box else source
        # a short credit line names the account in words too, even a blog's own ("By delta201",
        # "von zahlenzauberin" on zahlenzauberin.wordpress.com)
        labelled = source in ("byline", "copyright") and meta_authors.strip_prefix(raw) != raw
        handle_line = account_box or labelled and len(raw) <= MAX_HANDLE_LINE
        # an account named like the site ("zahlenzauberin") is a user; "By Eurosport" is the publisher
        account = handle_line and is_user_name(meta_authors.strip_prefix(raw))
        # marked-up people (JSON-LD Person, rel=author, microdata) are people even when a blog
        # is named after its author ("creeny" on creeny.example)
        excluded = not_people if source not in PERSON_MARKUP and not account else frozenset(not_people - sites)
        names, credited = meta_authors.parse_byline(raw, excluded, handles=source in AUTHOR_FIELDS or handle_line)
        agencies += [a for a in credited if a not in agencies]
        if source == "jsonld-organization":
            continue  # an Organization is never a person: it can only credit an agency
        # "Troy L. Smith, Cleveland.com": the site's name beside a person is not a second author
        names = tuple(n for n in names if not names_publisher(n, keys)) or names
        if names and not is_label_list(names, source):
            found.append((names, source, is_weak(raw, names, keys), labelled))
        elif not names and source in AUTHOR_FIELDS and meta_authors.drop_organisations(raw)[1]:
            # the author field credits an organisation (a ministry's or association's press
            # release): only a later full name may stand for a person ("Endlich" may not)
            found.append(((), source, True, False))
    # several different one-word "By ..." lines are a menu of filters ("By Method", "By
    # Cuisine"), not credits
    if len({f[0] for f in found if f[3] and f[1] == "byline" and len(f[0]) == 1 and " " not in f[0][0]}) > 1:
        found = [(*f[:3], False) for f in found]
    if (chosen := choose_authors(found)) and chosen[0]:
        chosen = prefer_shown_credit(page, chosen, not_people)
        chosen = prefer_signed_writer(page, prefer_linked_credit(page, chosen, not_people), not_people)
        authors = chosen[0]
        sources.append(("authors", chosen[1]))
    # a page whose credits name a wire agency and no person is the agency's story: trafilatura's
    # byline search would read the rest of that credit line ("Reuters; Washington; Nov")
    if not chosen and not agencies and (fallback := fallback_authors(page, hint, not_people)):
        authors = fallback[0]
        sources.append(("authors", fallback[1]))
    authors = spell_out_initials(spell_out_site_person(authors, site_name), page.license_names)
    if agency is None and agencies:
        agency, agency_source = agencies[0], "byline"
    if agency:
        sources.append(("agency", agency_source))
    if dateline:
        sources.append(("dateline", dateline_source))
    return authors, agency, dateline


# class names that hide an element from readers ("rich-snippet-hidden", "sr-only",
# "screen-reader-text", "visually-hidden"); not responsive ones ("hidden-xs") or "overflow-hidden"
HIDDEN_CLASS = re.compile(
    r"(?:^|\s)(?:hidden|invisible|sr-only|visuallyhidden|[\w-]*screen-reader[\w-]*|(?!overflow)[\w-]*[-_]hidden)(?=\s|$)", re.I
)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
TEXT_WITH = etree.XPath("//body//text()[contains(., $word)]")


def is_hidden(el: etree._Element) -> bool:
    """Hidden from readers by an attribute, a class ("rich-snippet-hidden", "sr-only",
    "screen-reader-text") or an inline style; scripts and styles are no text for readers."""
    return (
        el.tag in ("script", "style", "template", "noscript")
        or el.get("hidden") is not None
        or el.get("aria-hidden") == "true"
        or bool(HIDDEN_CLASS.search(el.get("class") or ""))
        or bool(HIDDEN_STYLE.search(el.get("style") or ""))
    )


def is_shown(tree: etree._Element, name: str) -> bool:
    """Every word of ``name`` is written somewhere in the body a reader sees."""
    for word in re.findall(r"\w+", name):
        # a text node's element (for a tail, the element around the one it follows)
        nodes = [*TEXT_WITH(tree, word=word), *TEXT_WITH(tree, word=word.upper())]  # CSS capitals are written so too
        holders = [n.getparent().getparent() if n.is_tail else n.getparent() for n in nodes]
        if not any(h is not None and not any(map(is_hidden, (h, *h.iterancestors()))) for h in holders):
            return False
    return True


def prefer_shown_credit(
    page: Page, chosen: tuple[tuple[str, ...], str], not_people: frozenset[str]
) -> tuple[tuple[str, ...], str]:
    """Structured authors that no reader sees (the CMS account behind the post, kept in
    rich-snippet markup the theme hides: "<span class='vcard rich-snippet-hidden'>") yield to
    the credit line the article shows ("Von Matthias Lauerer")."""
    names, source = chosen
    # a one-word name may be the short form of the credited one ("Ela", "Michaela Vais")
    if source not in AUTHOR_FIELDS or page.tree is None or any(len(n.split()) == 1 for n in names):
        return chosen
    for text in page.by_texts + list(archive_link_names(page)):
        shown, _ = meta_authors.parse_byline(text, not_people)
        others = not {n.casefold() for n in shown} & {n.casefold() for n in names}
        if shown and all(len(n.split()) > 1 for n in shown) and others:
            return chosen if any(is_shown(page.tree, name) for name in names) else (shown, "byline")
    return chosen


def prefer_linked_credit(
    page: Page, chosen: tuple[tuple[str, ...], str], not_people: frozenset[str]
) -> tuple[tuple[str, ...], str]:
    """A theme writes <meta name="author"> once for the whole site (its owners: "Matthias
    Hille - Lukas Balbach"); the post's own credit links its writer to their author archive
    ("Erstellt von <a href='/author/fabian/'>Fabian</a>"). A linked writer the meta tag does not
    name wins."""
    names, source = chosen
    if source != "meta":
        return chosen
    known = {w.casefold() for n in names for w in n.split()}
    linked = []
    for text, href, _ in page.archive_links:
        slug = AUTHOR_HREF.search(href)
        words = text.split()
        # a written name (not an account, "admin", nor initials, "DT") that its link's slug spells
        written = words and text[:1].isupper() and not meta_authors.is_initials(text)
        if slug and written and fold_ascii(slug[1]).replace("-", "") == fold_ascii("".join(words)) and text not in linked:
            linked.append(text)
    if linked and not any(w.casefold() in known for n in linked for w in n.split()):
        shown, _ = meta_authors.parse_byline("; ".join(linked), not_people, handles=True)
        if shown:
            return shown, "byline"
    return chosen


def prefer_signed_writer(
    page: Page, chosen: tuple[tuple[str, ...], str], not_people: frozenset[str]
) -> tuple[tuple[str, ...], str]:
    """A magazine posting a contributor's piece: the CMS account in the structured data is
    the editor who posted it; the piece is signed by its writer at its end ("<br><em>Claudia
    Duwe</em>"), whom the description names too ("Claudia Duwe zeigt, wie ...")."""
    names, source = chosen
    if source not in AUTHOR_FIELDS or not page.signatures:
        return chosen
    description = " ".join(page.meta.get("description", []) + page.meta.get("og:description", []))
    for text in reversed(page.signatures):
        signed, _ = meta_authors.parse_byline(text, not_people)
        if len(signed) == 1 and " " in signed[0] and signed[0] not in names and signed[0] in description:
            return signed, "signature"
    return chosen


def spell_out_site_person(authors: tuple[str, ...], site_name: str | None) -> tuple[str, ...]:
    """A first name alone ("Alexander") on a site named after a person ("Dr. Alexander Klier",
    a personal blog) is that person: the site's name spells it out."""
    if len(authors) != 1 or " " in authors[0] or not site_name:
        return authors
    people, agencies = meta_authors.parse_byline(site_name)
    if len(people) == 1 and not agencies and len(people[0].split()) == 2 and people[0].split()[0].casefold() == authors[0].casefold():
        return people
    return authors


def spell_out_initials(authors: tuple[str, ...], license_names: list[str]) -> tuple[str, ...]:
    """An account named with initials ("DT") on a blog whose Creative Commons licence is
    attributed to a person with those initials ("Donald Townsend"): that person, written out."""
    if len(authors) != 1 or not meta_authors.is_initials(authors[0]):
        return authors
    letters = re.sub(r"[-./]", "", authors[0])
    for name in license_names:
        if meta_authors.is_person_name(name) and "".join(w[0] for w in name.split()).upper() == letters:
            return (name,)
    return authors


def fallback_authors(page: Page, hint: str | None, not_people: frozenset[str]) -> tuple[tuple[str, ...], str] | None:
    """trafilatura's byline search (costly: it copies the tree), then the feed hint; called
    only when the page's own sources name nobody."""
    candidates = [*trafilatura_author(page), *([(hint, "feed")] if hint else [])]
    for raw, source in candidates:
        names, _ = meta_authors.parse_byline(raw, not_people)
        if names:
            return tuple(names), source
    # the headline among the first <h1>s (a template may open with "Navigation und Service")
    for headline in page.h1s[:3]:
        if speaker := speech_speaker(headline):
            return (speaker,), "headline"
    return None


# "Rede von Bundespräsident Johannes Rau beim ...", "Remarks by President Joe Biden at ...":
# institutions publish speeches under the speaker's name, the author of the text
SPEECH_HEADLINE = re.compile(
    r"^(?:Rede|Ansprache|Grußwort|Festrede|Speech|Remarks|Address|Keynote|Discours|Discurso|Intervento)\s+"
    r"(?:von|by|de|del|di)\s+(?P<who>.+?)(?:\s+(?:beim|bei|zum|zur|zu|im|in|an|am|auf|vor|über|at|to|before|on|for|"
    r"au|à|en|ante|al|alla)\b|\s*[,:;(–—-]\s|$)"
)
# a name's last words after the speaker's offices ("Bundespräsident", "Prime Minister"): a given
# name and a family name, with the particles and initials between them
SPEAKER_NAME = re.compile(
    r"(?:[A-ZÀ-Ý][\w'’-]+\s+)(?:(?:[A-ZÀ-Ý]\.|von|van|de|der|den|da|di|du|la|le)\s+)*[A-ZÀ-Ý][\w'’-]+$"
)


def speech_speaker(headline: str) -> str | None:
    """The speaker of a speech whose headline says whose it is (the offices before the name
    dropped)."""
    m = SPEECH_HEADLINE.match(" ".join(headline.split()))
    if not m or len(m["who"].split()) > 6 or not (name := SPEAKER_NAME.search(m["who"])):
        return None
    if OFFICE.search(name[0].split()[0]):
        return None  # "Speech by President Biden": an office and a family name, no full name
    return name[0] if meta_authors.is_person_name(name[0]) else None


# offices written before a speaker's name, also as the end of German compounds ("Bundeskanzlerin")
OFFICE = re.compile(
    r"(?i:(?:präsident|kanzler|minister|bürgermeister|senator|sekretär|botschafter|gouverneur)(?:in)?|president|"
    r"secretary|chancellor|governor|mayor|ambassador|commissioner|chair(?:man|woman|person)?|director|king|queen|"
    r"prince|princess|pope|premier)$"
)


def find_agency_dateline(page: Page) -> tuple[str | None, str | None, str, str]:
    """(agency, dateline, agency source, dateline source) from a dateline lead ("MOSCOW
    (Reuters) -") or a byline whose pipe-separated parts credit an agency and a place; a
    dateline without agency ("Lindenfeld. Der ...", "NEW YORK —") only from the opening of the
    article's text."""
    for lead in page.leads[:3]:
        city, agency = meta_authors.read_dateline(lead, with_agency_only=True)
        if agency:
            return agency, city, "lead", "lead"
    agency = place = None
    for el in page.bylines:
        agency, place = read_credit_parts(el)
        if agency:
            break
    if place is None:
        # the first paragraphs after the headline (or of the page, without a headline)
        for lead in (page.article_leads if page.headline is not None else page.leads)[:2]:
            city, _ = meta_authors.read_dateline(lead)
            if city:
                return agency, city, "byline", "lead"
    return agency, place, "byline", "byline"


def read_credit_parts(el: etree._Element) -> tuple[str | None, str | None]:
    """A byline such as "Reuters | Moscow | Updated: ..." -> ("Reuters", "Moscow")."""
    children = [c for c in el if isinstance(c.tag, str)]
    agency = place = None
    if children:
        after_agency = False  # the previous child was the agency's credit, ending in a comma
        for child in children:
            text = clean_text(child)
            hint = (child.get("class") or "") + " " + (child.get("itemprop") or "")
            if agency is None and (found := meta_authors.find_agency(text)):
                agency, after_agency = found, text.endswith(",")
                continue
            # "<a>Reuters, </a><span>Washington, </span>": the place follows the agency's credit
            if (PLACE_HINT.search(hint) or after_agency) and is_place(text.rstrip(", ")):
                place = text.rstrip(", ")
            after_agency = False
        if agency:
            return agency, place
    parts = [p.strip() for p in re.split(r"\s*[|•·]\s*", clean_text(el)) if p.strip()]
    for i, part in enumerate(parts):
        if found := meta_authors.find_agency(part):
            after = parts[i + 1] if i + 1 < len(parts) else ""
            return found, after if is_place(after) else place
    return None, None


def is_place(text: str) -> bool:
    """One to three capitalised words without digits or labels: a dateline city."""
    return bool(re.fullmatch(r"[A-ZÀ-Ý][\w'’.-]*(?: [A-ZÀ-Ý][\w'’.-]*){0,2}", text)) and not meta_authors.find_agency(text)


# ---------------------------------------------------------------- tags


def tag_candidates(page: Page) -> Iterator[Tag]:
    for label, text in page.labeled_links:
        if kind := TAG_LABELS.get(label):
            yield Tag(kind, text)
    for text, href, rel in page.tag_links:
        m = TAG_HREF.search(href)
        if text and len(text) < 60 and (m or "tag" in rel.split()):
            kind = next((v for k, v in HREF_KIND.items() if m and m[1].lower().startswith(k)), "keyword")
            yield Tag(kind, text)
    for key in ("article:tag", "news_keywords", "keywords", "parsely-tags", "sailthru.tags"):
        for value in page.meta.get(key, []):
            yield from (Tag("keyword", k.strip()) for k in re.split(r"[,;]", value) if k.strip())
    for key in ("article:section", "parsely-section", "section"):
        for value in page.meta.get(key, []):
            yield Tag("category", value.strip())
    if page.article:
        keywords = page.article.get("keywords")
        keywords = re.split(r"[,;]", keywords) if isinstance(keywords, str) else keywords or []
        yield from (Tag("keyword", k.strip()) for k in keywords if isinstance(k, str) and k.strip())
        for section in meta_jsonld.as_list(page.article.get("articleSection")):
            if isinstance(section, str) and section.strip():
                yield Tag("category", section.strip())


def choose_tags(page: Page, sources: list[tuple[str, str]]) -> tuple[Tag, ...]:
    seen: set[str] = set()
    tags = []
    for tag in tag_candidates(page):
        name = " ".join(tag.name.split())
        key = name.casefold()  # one kind per name: the best-ranked source (a written label) wins
        if name and key not in seen and len(tags) < 100:
            seen.add(key)
            tags.append(Tag(tag.kind, name))
    if tags:
        sources.append(("tags", "page"))
    return tuple(tags)
