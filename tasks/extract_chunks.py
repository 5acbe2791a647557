"""Recover article bodies split into several containers.

Many templates cut a long article into chunks (one container per few paragraphs, with ads or
embeds between them): <div class="article-body">…</div><ad/><div class="article-body">…</div>.
trafilatura then keeps the chunk it scores best and drops the others. The chunks share the tag
and class of the container of the kept paragraphs and sit under a common ancestor close by, so
they can be found without any site-specific rule.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import islice

from lxml.html import HtmlElement

_WORD_RE = re.compile(r"\w+")
_SPACE_RE = re.compile(r"\s+")

# Chunk containers are named for what they hold; a bare layout class ("row", "col-md-8") is
# shared by unrelated blocks, so it is no evidence of a split body.
_BODY_CLASS_RE = re.compile(r"body|content|text|article|story|entry|post|chunk|para|prose|copy", re.IGNORECASE)

LEAD_LINES = 6  # the container is located from the first extracted lines
KEY_TOKENS = 12  # a paragraph is recognised by its first words
MAX_ANCESTOR_LEVELS = 3  # chunks live under a common ancestor at most this far up
MAX_LINK_SHARE = 0.5  # a paragraph mostly made of links is navigation, not body
MIN_PARAGRAPH_WORDS = 3
MIN_CHUNK_WORDS = 10  # a teaser card has a sentence or two; a chunk of article has more
MAX_CHUNK_LINK_SHARE = 0.5  # teaser cards are mostly headline links


def recover_chunks(tree: HtmlElement, lines: list[str]) -> tuple[list[str], list[str]]:
    """Paragraphs of sibling body chunks the extractor skipped: (before, after) the kept one."""
    container = find_kept_container(tree, lines[:LEAD_LINES])
    if container is None:
        return [], []
    peers = find_peer_containers(container)
    if len(peers) < 2:
        return [], []
    keys = {paragraph_key(line) for line in lines}
    before, after, seen_kept = [], [], False
    for peer in peers:
        if peer is container:
            seen_kept = True
            continue
        texts = [text for text in map(body_paragraph_text, peer.iter("p")) if text]
        if not is_body_chunk(peer, texts):
            continue
        for text in texts:
            key = paragraph_key(text)
            # a chunk the extractor kept as well has its paragraphs in `keys` already
            if key not in keys:
                keys.add(key)
                (after if seen_kept else before).append(text)
    return before, after


def find_kept_container(tree: HtmlElement, lead: list[str]) -> HtmlElement | None:
    """Parent of the page's <p> elements that hold the first extracted lines."""
    wanted = {paragraph_key(line) for line in lead}
    wanted.discard(())
    parents: Counter = Counter()
    for paragraph in tree.iter("p"):
        if wanted and paragraph_key(paragraph.text_content()) in wanted:
            parents[paragraph.getparent()] += 1
            if sum(parents.values()) == len(wanted):
                break  # every lead line is placed: no need to read the rest of the page
    if not parents:
        return None
    return parents.most_common(1)[0][0]


def find_peer_containers(container: HtmlElement) -> list[HtmlElement]:
    """Elements with the container's tag, class and kind of parent under its close ancestor,
    in page order."""
    css_class = container.get("class")
    if not css_class or container.tag in ("body", "html") or not _BODY_CLASS_RE.search(css_class):
        return []
    scope = container
    for _ in range(MAX_ANCESTOR_LEVELS):
        parent = scope.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        scope = parent
    signature = parent_signature(container)
    return [
        el for el in scope.iter(container.tag)
        if el.get("class") == css_class and parent_signature(el) == signature
    ]


def parent_signature(element: HtmlElement) -> tuple[str, str] | None:
    # Chunks of one article sit in identical wrappers; a teaser card that reuses the body's
    # class for its intro sits in a wrapper of another kind.
    parent = element.getparent()
    return None if parent is None else (parent.tag, parent.get("class") or "")


def is_body_chunk(peer: HtmlElement, texts: list[str]) -> bool:
    """A piece of article, not a teaser card: enough prose, few links around it."""
    words = sum(len(_WORD_RE.findall(text)) for text in texts)
    if words < MIN_CHUNK_WORDS:
        return False
    all_chars = len(normalize_text(peer.text_content())) or 1
    link_chars = sum(len(normalize_text(a.text_content())) for a in peer.iter("a"))
    return link_chars <= MAX_CHUNK_LINK_SHARE * all_chars


def body_paragraph_text(paragraph: HtmlElement) -> str:
    text = normalize_text(paragraph.text_content())
    if len(_WORD_RE.findall(text)) < MIN_PARAGRAPH_WORDS:
        return ""
    link_chars = sum(len(normalize_text(a.text_content())) for a in paragraph.iter("a"))
    if link_chars > MAX_LINK_SHARE * len(text):
        return ""
    return text


def paragraph_key(text: str) -> tuple[str, ...]:
    # finditer + islice: only the first words are read, paragraphs can be long
    return tuple(match.group().casefold() for match in islice(_WORD_RE.finditer(text), KEY_TOKENS))


def normalize_text(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()
