"""JSON-LD blocks -> the article object and its fields.

Handles top-level arrays, ``@graph``, ``mainEntity``/``mainEntityOfPage`` nesting, list-valued
``@type`` and author objects that refer to ``@id`` nodes elsewhere in the graph. Blocks that
are not valid JSON are retried once after removing control characters and trailing commas
(both common in hand-written templates); those still invalid are skipped.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable, Iterator

ARTICLE_TYPES = frozenset(
    """NewsArticle Article ReportageNewsArticle AnalysisNewsArticle OpinionNewsArticle
    BackgroundNewsArticle ReviewNewsArticle AskPublicNewsArticle BlogPosting LiveBlogPosting
    SocialMediaPosting DiscussionForumPosting ScholarlyArticle TechArticle Report Review
    SatiricalArticle AdvertiserContentArticle Blog Posting Recipe HowTo""".split()
)
PAGE_TYPES = frozenset({"WebPage", "ItemPage", "CollectionPage", "AboutPage", "ProfilePage", "QAPage", "FAQPage"})

_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x1f]")


def load_blocks(texts: Iterable[str]) -> list[Any]:
    """Parse each <script type=application/ld+json> text; skip what cannot be repaired."""
    blocks = []
    for text in texts:
        text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
        if text.endswith(";"):
            text = text[:-1]
        for attempt in (text, _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", text))):
            try:
                blocks.append(json.loads(attempt))
                break
            except json.JSONDecodeError:
                continue
    return blocks


def iter_nodes(value: Any) -> Iterator[dict]:
    """Every dict in the structure, depth first (arrays, @graph and nested objects)."""
    if isinstance(value, list):
        for item in value:
            yield from iter_nodes(item)
    elif isinstance(value, dict):
        yield value
        for key, item in value.items():
            if isinstance(item, (dict, list)) and key not in ("@context",):
                yield from iter_nodes(item)


def node_types(node: dict) -> set[str]:
    types = node.get("@type", ())
    if isinstance(types, str):
        types = [types]
    return {t.rsplit("/", 1)[-1] for t in types if isinstance(t, str)}


def top_nodes(value: Any) -> Iterator[dict]:
    """The nodes a block states at its top: the block, array items, @graph members and their
    mainEntity. Nodes nested in other properties (a Recipe's "review", a post's "comment",
    "hasPart", "itemListElement") describe other things than the page."""
    if isinstance(value, list):
        for item in value:
            yield from top_nodes(item)
    elif isinstance(value, dict):
        yield value
        yield from top_nodes(value.get("@graph"))
        for key in ("mainEntity", "mainEntityOfPage"):
            if isinstance(value.get(key), (dict, list)):
                yield from top_nodes(value[key])


def find_article(blocks: list[Any]) -> dict | None:
    """The node that describes the article: an Article kind (stated at the top of a block
    before nested ones: a recipe's reviews are not the page), else a WebPage with a headline."""
    nodes = [n for n in iter_nodes(blocks)]
    top = [n for n in top_nodes(blocks) if node_types(n) & ARTICLE_TYPES]
    articles = top or [n for n in nodes if node_types(n) & ARTICLE_TYPES]
    if articles:
        # the richest one wins: a listing page may carry several stubs
        return max(articles, key=lambda n: ("headline" in n or "name" in n) + ("datePublished" in n) + ("author" in n))
    pages = [n for n in nodes if node_types(n) & PAGE_TYPES and ("headline" in n or "datePublished" in n)]
    return pages[0] if pages else None


def index_ids(blocks: list[Any]) -> dict[str, dict]:
    return {n["@id"]: n for n in iter_nodes(blocks) if isinstance(n.get("@id"), str) and len(n) > 1}


def resolve(value: Any, ids: dict[str, dict]) -> Any:
    """Follow {"@id": ...} references to the full node when the graph has it."""
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in ids:
        return ids[value["@id"]]
    return value


def as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text_of(value: Any) -> str | None:
    """A plain string out of a string, a {"@value"/"name"} object or a one-item list."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return value.strip() if isinstance(value, str) and value.strip() else None


def find_people(value: Any, ids: dict[str, dict]) -> tuple[list[str], list[str]]:
    """author/creator values -> (person names, organisation names), in order."""
    people, orgs = [], []
    for item in as_list(value):
        item = resolve(item, ids)
        if isinstance(item, str):
            people.append(item)
        elif isinstance(item, dict):
            name = text_of(item.get("name"))
            if not name:
                continue
            (orgs if node_types(item) & {"Organization", "NewsMediaOrganization", "Corporation"} else people).append(name)
    return people, orgs


def find_publisher_name(blocks: list[Any], article: dict | None) -> str | None:
    ids = index_ids(blocks)
    if article:
        publisher = resolve(article.get("publisher"), ids)
        if isinstance(publisher, dict) and text_of(publisher.get("name")):
            return text_of(publisher.get("name"))
    for node in iter_nodes(blocks):
        if node_types(node) & {"WebSite"} and text_of(node.get("name")):
            return text_of(node.get("name"))
    return None
