"""Main-text extraction: trafilatura passes, split-body recovery and general cleanup.

Plain functions, no Prefect, no I/O. `extract_text` parses the page once with lxml, reads what
the cleanup needs from it in one walk, thins it and hands it to trafilatura (which copies it) in
fast precision mode, falls back to slower modes (on the page parsed anew) only when the result
looks short, recovers article bodies split into several containers, then cleans
the text line by line with rules that hold on any news template: the headline and standfirst are not repeated into the body, and lines
that are interface residue (share bars, "Give Feedback", syndication disclaimers, captions,
tag lists, cookie banners, "Related"/"Trending" blocks, newsletter promos) are dropped.
See docs/EXTRACTION.md for the measured effect of every choice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import trafilatura
from lxml.etree import (
    ElementDefaultClassLookup,
    ElementNamespaceClassLookup,
    LxmlError,
    XPath,
    strip_elements,
    strip_tags,
)
from lxml.html import (
    FormElement,
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    InputElement,
    LabelElement,
    SelectElement,
    TextareaElement,
    fromstring,
)
from trafilatura.settings import MANUALLY_CLEANED, MANUALLY_STRIPPED
from trafilatura.utils import is_dubious_html, repair_faulty_html
from trafilatura.xml import delete_element

from tasks.extract_chunks import recover_chunks
from tasks.extract_rules import (
    clean_lines,
    drop_link_lists,
    drop_residue,
    has_prose,
    has_short_run,
    is_prose,
    read_page,
)

# Bump whenever a change can alter the output: the warehouse keys parses by it.
EXTRACTOR_VERSION = "2026.11.29-8"

# trafilatura passes, cheapest first. A later pass runs only when the best text so far looks
# short: less prose (characters in lines of six words or more) than the pass's minimum, or less
# than the pass's share of the prose in the page's <p> elements. It replaces the text so far
# only when it has FALLBACK_GAIN times as much prose: a little more is usually the headline and
# date glued onto a short article. Fast precision mode skips trafilatura's own readability and
# jusText comparisons (about a third of its time); the full precision mode rescues pages where
# fast mode picked a teaser box or a form, the balanced mode pages where precision mode kept a
# reprint notice. See docs/EXTRACTION.md for the measurements.
FAST_OPTIONS = MappingProxyType(
    {"include_comments": False, "favor_precision": True, "include_tables": True, "fast": True}
)
PRECISION_OPTIONS = MappingProxyType({"include_comments": False, "favor_precision": True, "include_tables": True})
BALANCED_OPTIONS = MappingProxyType({"include_comments": False, "include_tables": True})


@dataclass(frozen=True)
class Pass:
    options: Mapping[str, bool]
    method: str
    min_chars: int = 0  # run when the prose so far is shorter than this...
    min_page_share: float = 0.0  # ...or than this share of the page's paragraph prose


PASSES = (
    Pass(FAST_OPTIONS, "trafilatura-fast-precision"),
    Pass(PRECISION_OPTIONS, "fallback-precision", min_chars=500, min_page_share=0.2),
    Pass(BALANCED_OPTIONS, "fallback-balanced", min_chars=250),
)
FALLBACK_GAIN = 2

# The first pass gets a thinned tree. Elements that trafilatura deletes with their content
# before it looks for the main text (trafilatura.settings.MANUALLY_CLEANED) are deleted, less
# those it reads first: <head>, <form> (kept when it holds most of the text), <figure> (kept when
# it holds a table), <math> (formulas salvaged) and JSON-LD scripts (they tell a forum thread);
# the tags it unwraps (MANUALLY_STRIPPED: <img>, <meta>, <font>...) are unwrapped. Done once, in
# C, before the pass, this spares the pass copying them three times and testing them with its
# XPath regexes (Python callbacks) on the raw tree: about a quarter of its time on news pages.
# Of the 746 evaluation pages, 2 changed, both for the better: a sidebar heading in an <aside>
# left out, and a pull quote (an <aside>) no longer recovered as a chunk. The page's headings,
# links and paragraph prose are read before thinning; the fallback passes, whose readability,
# jusText and baseline read the raw page, get it parsed anew. See docs/EXTRACTION.md, "Cost".
_KEPT_FOR_TRAFILATURA = frozenset({"head", "form", "figure", "math", "script"})
THINNED_TAGS = tuple(tag for tag in MANUALLY_CLEANED if tag not in _KEPT_FOR_TRAFILATURA)
_SCRIPTS_XPATH = XPath('//script[not(@type="application/ld+json")]')

# The element classes of lxml.html.HtmlElementClassLookup, by tag (every other tag: HtmlElement).
_FORM_CLASSES = MappingProxyType({
    "form": FormElement, "input": InputElement, "select": SelectElement,
    "textarea": TextareaElement, "label": LabelElement,
})


@dataclass(frozen=True)
class ExtractedText:
    text: str  # main text, one paragraph per line, no blank lines
    paragraphs: int
    method: str  # which path produced it


def extract_text(
    html: str,
    url: str | None = None,
    title: str | None = None,
    description: str | None = None,
) -> ExtractedText:
    """Return the main text of a page; an empty text (method "none") when there is none."""
    return extract_text_with(PASSES, html, url, title, description)


def extract_text_with(
    passes: tuple[Pass, ...],
    html: str,
    url: str | None = None,
    title: str | None = None,
    description: str | None = None,
) -> ExtractedText:
    """extract_text with other trafilatura passes (the benchmark compares them; the pipeline
    uses PASSES)."""
    tree = parse_tree(html)
    if tree is None:
        return ExtractedText("", 0, "none")
    page = read_page(tree, title, description)  # before thinning: asides hold the link lists
    thin_tree(tree)
    lines, method = run_passes(html, tree, url, passes, page.paragraph_prose)
    before, after = recover_chunks(tree, lines)
    if before or after:
        lines, method = drop_residue(before) + lines + drop_residue(after), method + "+chunks"
    lines = clean_lines(lines, page.headlines, page.standfirsts)
    if has_short_run(lines):
        lines = drop_link_lists(lines, page.link_texts)
    if not has_prose(lines):
        return ExtractedText("", 0, "none")
    return ExtractedText("\n".join(lines), len(lines), method)


def run_passes(
    html: str, tree: HtmlElement, url: str | None, passes: tuple[Pass, ...], page_prose: int
) -> tuple[list[str], str]:
    """Run the first pass on the thinned tree, then each later one whose condition says the text
    so far is short, on the page parsed anew: the later passes compare trafilatura's text with
    readability's, jusText's and its baseline's, which read the raw page (its <noscript>,
    <footer>, <time>...), and a fallback runs on few pages, so parsing again costs less than a
    copy kept for every page."""
    best, best_method, best_size = [], "none", 0
    raw_tree = None
    for index, step in enumerate(passes):
        if index and not is_short(best_size, step, page_prose):
            continue
        if index and raw_tree is None:
            raw_tree = parse_tree(html)
        lines = extract_lines(raw_tree if index else tree, url, step.options)
        size = text_size(lines)
        if not index or size > FALLBACK_GAIN * best_size:
            best, best_method, best_size = lines, step.method, size
    return best, best_method


def is_short(size: int, step: Pass, page_prose: int) -> bool:
    """page_prose: characters of prose in the page's <p> elements, what an article page offers."""
    return size < step.min_chars or size < step.min_page_share * page_prose


def parse_tree(html: str) -> HtmlElement | None:
    """The page as trafilatura.utils.load_html parses a str (same repairs, parser options and
    rejection of what is not HTML), with element classes looked up in C: lxml.html's lookup runs
    Python each time code reaches an element, several percent of a trafilatura pass."""
    if not html or not html.strip():
        return None
    beginning = html[:50].lower()
    repaired = repair_faulty_html(html, beginning)
    parser = make_parser()
    tree = parse_string(repaired, parser)
    if tree is None or len(tree) < 1:
        tree = parse_string(repaired.encode("utf8", "surrogatepass"), parser)
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None  # one element or none: not a page
    return tree


def parse_string(html: str | bytes, parser: HTMLParser) -> HtmlElement | None:
    try:
        return fromstring(html, parser=parser)
    # ValueError: a str with an encoding declaration (parsed as bytes next, as load_html does);
    # LxmlError: nothing to parse, an empty document
    except (ValueError, LxmlError):
        return None


def make_parser() -> HTMLParser:
    """trafilatura's parser options; the classes lxml.html gives elements, found by C lookups."""
    parser = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                        remove_comments=True, remove_pis=True)
    lookup = ElementNamespaceClassLookup(ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))
    classes = lookup.get_namespace(None)
    for tag, element_class in _FORM_CLASSES.items():
        classes[tag] = element_class
    parser.set_element_class_lookup(lookup)
    return parser


def thin_tree(tree: HtmlElement) -> None:
    """Delete in place what every trafilatura pass deletes anyway, keeping the text after each
    element as trafilatura does. Its passes then copy and search a smaller tree. (A pass with
    include_images would keep <img>, <figure>, <picture> and <source>: PASSES have none.)"""
    strip_elements(tree, *THINNED_TAGS, with_tail=False)
    strip_tags(tree, *MANUALLY_STRIPPED)
    for script in _SCRIPTS_XPATH(tree):
        delete_element(script)


def extract_lines(tree: HtmlElement, url: str | None, options: Mapping[str, bool]) -> list[str]:
    """Trafilatura's text as residue-free lines (headline and standfirst are handled later)."""
    text = trafilatura.extract(tree, url=url, **options)
    return drop_residue((text or "").split("\n"))


def text_size(lines: list[str]) -> int:
    """Characters of prose: menus and labels that a balanced extraction may add do not count."""
    return sum(len(line) for line in lines if is_prose(line))
