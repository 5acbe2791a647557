"""Main-text extraction: trafilatura passes, split-body recovery and general cleanup.

Plain functions, no Prefect, no I/O. `extract_text` parses the page once with lxml, hands the
tree to trafilatura (which copies it) in fast precision mode, falls back to slower modes only
when the result looks short, recovers article bodies split into several containers, then cleans
the text line by line with rules that hold on any news template: the headline and standfirst are not repeated into the body, and lines
that are interface residue (share bars, "Give Feedback", syndication disclaimers, captions,
tag lists, cookie banners, "Related"/"Trending" blocks, newsletter promos) are dropped.
See docs/EXTRACTION.md for the measured effect of every choice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from tasks.extract_chunks import recover_chunks
from tasks.extract_rules import (
    clean_lines,
    collect_headlines,
    collect_link_texts,
    collect_standfirsts,
    drop_link_lists,
    drop_residue,
    has_prose,
    has_short_run,
    is_prose,
)

# Bump whenever a change can alter the output: the warehouse keys parses by it.
EXTRACTOR_VERSION = "2026.11.29-7"

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
    headlines = collect_headlines(tree, title)
    standfirsts = collect_standfirsts(tree, description)
    lines, method = run_passes(tree, url, passes)
    before, after = recover_chunks(tree, lines)
    if before or after:
        lines, method = drop_residue(before) + lines + drop_residue(after), method + "+chunks"
    lines = clean_lines(lines, headlines, standfirsts)
    if has_short_run(lines):
        lines = drop_link_lists(lines, collect_link_texts(tree))
    if not has_prose(lines):
        return ExtractedText("", 0, "none")
    return ExtractedText("\n".join(lines), len(lines), method)


def run_passes(tree: HtmlElement, url: str | None, passes: tuple[Pass, ...]) -> tuple[list[str], str]:
    """Run the first pass, then each later one whose condition says the text so far is short."""
    page_prose = cache(lambda: paragraph_prose(tree))  # read the page's <p> at most once
    best, best_method, best_size = [], "none", 0
    for index, step in enumerate(passes):
        if index and not is_short(best_size, step, page_prose):
            continue
        lines = extract_lines(tree, url, step.options)
        size = text_size(lines)
        if not index or size > FALLBACK_GAIN * best_size:
            best, best_method, best_size = lines, step.method, size
    return best, best_method


def is_short(size: int, step: Pass, page_prose: Callable[[], int]) -> bool:
    if size < step.min_chars:
        return True
    return bool(step.min_page_share) and size < step.min_page_share * page_prose()


def paragraph_prose(tree: HtmlElement) -> int:
    """Characters of prose in the page's <p> elements: what an article page has to offer."""
    texts = (" ".join(p.text_content().split()) for p in tree.iter("p"))
    return sum(len(text) for text in texts if is_prose(text))


def parse_tree(html: str) -> HtmlElement | None:
    if not html or not html.strip():
        return None
    return load_html(html)


def extract_lines(tree: HtmlElement, url: str | None, options: Mapping[str, bool]) -> list[str]:
    """Trafilatura's text as residue-free lines (headline and standfirst are handled later)."""
    text = trafilatura.extract(tree, url=url, **options)
    return drop_residue((text or "").split("\n"))


def text_size(lines: list[str]) -> int:
    """Characters of prose: menus and labels that a balanced extraction may add do not count."""
    return sum(len(line) for line in lines if is_prose(line))
