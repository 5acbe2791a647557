"""A synthetic news site: many article pages in three site templates, generated from a seed.

Each page is a realistic article (title, byline, dates, tags, several paragraphs, quotes with a
named speaker) so that the whole parse path (metadata, text, quotes) produces rows in every
table. The same (seed, index) always gives the same page, so a clean run and a crashed-and-rerun
run can be compared row for row.
"""
from __future__ import annotations

import html
import random
from dataclasses import dataclass

_PLACES = ["Port Merritt", "Lindenfeld", "Carrow Bay", "Ashford", "Millbrook", "Eastvale", "Northgate"]
_TOPICS = ["flood barrier", "school budget", "bus network", "harbour dredging", "housing plan",
           "water rates", "library hours", "bridge repairs", "wind farm", "hospital wing"]
_BODIES = ["city council", "county board", "port authority", "school district", "transit agency"]
_FIRST = ["Maria", "James", "Aisha", "Tomasz", "Keiko", "Daniel", "Priya", "Lucas", "Amara", "Henrik"]
_LAST = ["Delgado", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Brennan", "Kowalski", "Haddad",
         "Fischer", "Nakamura"]
_ROLES = ["the mayor", "a council member", "the agency's director", "a local resident",
          "the board chair", "an engineer on the project"]
_VERBS = ["voted", "debated", "postponed", "approved", "reviewed", "questioned"]
_SENTENCES = [
    "The {body} {verb} the {topic} on Tuesday after a meeting that ran well past midnight.",
    "Residents of {place} have waited nearly three years for a decision on the {topic}.",
    "Officials said the cost of the {topic} had risen by a third since the first estimate.",
    "Opponents argued that the {body} had not consulted the neighbourhoods most affected.",
    "A final vote on the {topic} is expected before the end of the fiscal year.",
    "Engineers told the {body} that work could begin in the spring if funding is confirmed.",
    "The {topic} would be paid for with a mix of state grants and municipal bonds.",
    "Several speakers at the hearing asked the {body} to publish the full study.",
]
_QUOTES = [
    "We cannot keep postponing this, the risk to {place} grows every winter",
    "This plan is the result of years of work by people who live here",
    "I have not seen a single figure that convinces me the {topic} is affordable",
    "Our job is to make sure every household in {place} is heard before we decide",
]


@dataclass(frozen=True)
class Article:
    path: str
    title: str
    author: str
    published: str        # ISO 8601 with an offset
    place: str
    topic: str
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...]


def make_article(seed: int, index: int) -> Article:
    rng = random.Random(f"{seed}:{index}")
    place, topic, body = rng.choice(_PLACES), rng.choice(_TOPICS), rng.choice(_BODIES)
    verb = rng.choice(_VERBS)
    author = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    speaker = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    fill = dict(place=place, topic=topic, body=body, verb=verb)
    title = f"{place} {body} {verb} {topic} (report {index})".capitalize()
    sentences = [s.format(**fill) for s in rng.sample(_SENTENCES, 6)]
    quote = rng.choice(_QUOTES).format(**fill)
    role = rng.choice(_ROLES)
    paragraphs = (
        f"{place.upper()} — {sentences[0]} {sentences[1]}",
        f"\u201c{quote},\u201d said {speaker}, {role}.",
        f"{sentences[2]} {sentences[3]}",
        f"{speaker.split()[1]} added that the {body} would publish its reasons in writing. {sentences[4]}",
        f"{sentences[5]} The report number is {index}, filed from {place}.",
    )
    day = 1 + index % 28
    published = f"2024-{1 + index % 12:02d}-{day:02d}T{8 + index % 10:02d}:15:00+01:00"
    return Article(f"/news/{index:05d}-{topic.replace(' ', '-')}.html", title, author, published,
                   place, topic, paragraphs, (topic, place))


def render(article: Article, base_url: str, template: int) -> bytes:
    """One of three site templates: JSON-LD + OpenGraph, meta tags only, or a byline in the body."""
    url = base_url + article.path
    esc = html.escape
    paras = "\n".join(f"<p>{esc(p)}</p>" for p in article.paragraphs)
    tags = "\n".join(f'<meta property="article:tag" content="{esc(t)}">' for t in article.tags)
    head_common = (f'<meta charset="utf-8"><title>{esc(article.title)} | Coastal Courier</title>'
                   f'<link rel="canonical" href="{esc(url)}">')
    if template == 0:
        head = (f'{head_common}<meta property="og:title" content="{esc(article.title)}">'
                f'<meta property="og:site_name" content="Coastal Courier">{tags}'
                '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
                f'"headline":"{esc(article.title)}","datePublished":"{article.published}",'
                f'"author":{{"@type":"Person","name":"{article.author}"}}}}</script>')
        body = (f'<header><nav><a href="/">Home</a> <a href="/local">Local</a></nav></header>'
                f'<main><article><h1>{esc(article.title)}</h1>{paras}</article></main>'
                '<footer><p>© Coastal Courier. All rights reserved.</p></footer>')
    elif template == 1:
        head = (f'{head_common}<meta name="author" content="{esc(article.author)}">'
                f'<meta name="description" content="{esc(article.paragraphs[0][:150])}">'
                f'<meta property="article:published_time" content="{article.published}">{tags}')
        body = (f'<div id="page"><div class="masthead">The Valley Ledger</div>'
                f'<div class="story"><h1 class="headline">{esc(article.title)}</h1>'
                f'<div class="story-body">{paras}</div></div>'
                '<aside class="related"><h3>Most read</h3><ul><li><a href="/x">Weather</a></li></ul></aside></div>')
    else:
        head = head_common + tags
        body = (f'<div class="wrap"><h1>{esc(article.title)}</h1>'
                f'<p class="byline">By {esc(article.author)} | <time datetime="{article.published}">'
                f'{article.published[:10]}</time></p><section class="content">{paras}</section>'
                '<div class="share">Share this story</div></div>')
    page = f'<!DOCTYPE html>\n<html lang="en"><head>{head}</head><body>{body}</body></html>\n'
    return page.encode("utf-8")


def site_pages(seed: int, count: int) -> list[Article]:
    return [make_article(seed, i) for i in range(count)]
