"""A realistic synthetic news site on disk, deterministic for a seed, for the speed benchmarks.

    .venv/bin/python bench/sitegen.py OUT_DIR [--pages 200] [--seed 7] [--source synthetic|zyte]

N article pages in four site templates that differ the way real ones do:
  - "wordpress": a Yoast JSON-LD graph, Open Graph tags, top bar, menu, breadcrumb, share bar,
    related posts, sidebar widgets, a comment form and a fat footer;
  - "wire": a NewsArticle JSON-LD with several authors, an agency dateline ("CITY (Agency) --"),
    "By A and B" bylines, inline ad slots and a "Trending" rail;
  - "broadsheet": no JSON-LD, Open Graph and article:* tags only, a standfirst, a figure with a
    caption, rich-link asides inside the body, a contributions appeal, topics and comments;
  - "blog": no JSON-LD, no Open Graph, a "By X | date" byline paragraph with <time>, a simple
    nav, a comments section and a footer.
Each article aims at 400-900 words (the last paragraph may overshoot) in sentences drawn from
varied patterns, and up to 5 quotes with speakers and roles in the usual forms ("...," said Name,
role. / Name said: "..." / partial quotes), placed at random: most articles get 2-5, a few fewer
(docs/BENCHMARKS.md gives the distribution). Beside the pages: feed.xml (RSS 2.0 with the {{BASE_URL}} placeholder that
flows/site_server.py fills in), urls.txt (paths, one a line) and robots.txt (everything allowed).

`zyte_site` instead writes the real news pages of the Zyte extraction benchmark (read at run time
from ../shared/bench, never copied into the repository) as a site, for a run on real pages.
"""
from __future__ import annotations

import argparse
import gzip
import html
import json
import random
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = ("wordpress", "wire", "broadsheet", "blog")
ZYTE_HTML = Path(__file__).resolve().parents[2] / "shared" / "bench" / "extraction" / "zyte" / "html"

FIRST = ["Maria", "James", "Priya", "Tom", "Helena", "Daniel", "Ingrid", "Samuel", "Aisha", "Kenji", "Lucia",
         "Oliver", "Fatima", "Viktor", "Grace", "Mateo", "Nadia", "Patrick", "Yara", "Elena", "Marcus", "Chloe",
         "Rafael", "Sophie", "Ibrahim", "Hannah", "Diego", "Amara", "Felix", "Leila", "Ruth", "Omar", "Clara"]
LAST = ["Delgado", "Calloway", "Nair", "Adeyemi", "Marsh", "Okoro", "Solberg", "Whitfield", "Rahman", "Tanaka",
        "Ferreira", "Brennan", "Haddad", "Petrov", "Lindqvist", "Moreno", "Kowalski", "Osei", "Nakamura",
        "Fischer", "Gallagher", "Mensah", "Duarte", "Kaplan", "Svensson", "Abara", "Lefebvre", "Hughes", "Varga"]
ROLES = ["the city's finance director", "a spokesperson for the ministry", "chief executive of the port authority",
         "a professor of economics at Northmoor University", "the council's deputy leader",
         "head of the regional transport board", "a senior analyst at Castellan Capital", "the union's general secretary",
         "director of the state health service", "a lawyer representing the residents", "the opposition leader",
         "a researcher at the Institute for Coastal Studies", "the mayor", "the company's chief operating officer"]
ORGS = ["the city council", "the transport ministry", "the port authority", "the regional health board",
        "Castellan Capital", "the teachers' union", "the national weather service", "the state energy regulator",
        "the Harbor Coast water utility", "the university hospital", "the federal aviation agency", "the court"]
PLACES = ["Port Merritt", "Lindenfeld", "Northmoor", "Eastside", "Carrow Bay", "Ashford Vale", "Kestrel Point",
          "Brightwater", "Old Harbor", "Fenwick", "Marlow Heights", "the river district", "Stonebridge"]
SUBJECTS = ["The proposal", "The new budget", "The agency", "Officials", "The plan", "Residents", "The report",
            "Critics", "Supporters of the measure", "The committee", "Engineers", "Local businesses", "The court",
            "Investors", "The government", "Analysts", "Opposition lawmakers", "Health workers", "The study"]
VERBS = ["would raise", "could delay", "is expected to cut", "has already reduced", "will review", "did not change",
         "may expand", "was designed to protect", "had warned about", "would replace", "is likely to affect",
         "has been criticised for", "aims to improve", "could double", "failed to address", "will fund"]
OBJECTS = ["the cost of the project", "waiting times at the clinic", "the number of flights", "property taxes",
           "the flood barrier", "bus services in the north", "the housing shortage", "emissions from the port",
           "the school meal programme", "rents in the city centre", "the pension fund", "water bills",
           "the hospital's emergency ward", "the cycling network", "the harbour dredging contract", "energy prices"]
TIMES = ["next year", "by the end of the decade", "within six months", "over the coming weeks", "since 2019",
         "before the election", "in the spring", "after the summer", "in the long run", "this winter"]
CLAUSES = ["according to figures published on Tuesday", "despite months of negotiations",
           "although the details have not been published", "in a vote that split the chamber",
           "after an independent review found serious gaps", "as inflation continued to squeeze households",
           "while the inquiry is still under way", "following complaints from hundreds of residents",
           "in line with a recommendation from auditors", "because the original contractor withdrew"]
NUMBERS = ["$48 million", "12 percent", "about 3,400 households", "1.4 miles", "two thirds of voters", "€2.1bn",
           "nearly 900 jobs", "a 5-2 vote", "four years", "more than 60 schools", "£310m", "18 months"]
QUOTE_BODIES = ["We have waited long enough for this, and people deserve an answer", "This is not the end of the process",
                "The numbers simply do not add up", "Nobody wants to see the service cut, but we have to be honest",
                "It is a good day for the city", "We will keep pressing until the money is on the table",
                "I have never seen anything like it in thirty years", "The risk is real and it is growing",
                "Our members are tired and they are angry", "There is still a lot of work to do",
                "We are confident the project will come in on budget", "Families cannot afford another increase",
                "This decision will be felt for a generation", "We did everything the regulator asked of us"]
PARTIALS = ["a reckless gamble", "long overdue", "deeply disappointing", "a step in the right direction",
            "unacceptable", "the best of a bad set of options", "a fair deal"]
SECTIONS = ["Local News", "Politics", "Business", "Environment", "Health", "Transport", "Education", "World"]
TAGS = ["flooding", "city council", "budget", "climate", "public health", "housing", "transport", "elections",
        "energy", "courts", "schools", "labour", "aviation", "water", "economy", "infrastructure"]
AGENCIES = ["AP", "Reuters", "AFP"]
RELATED = ["Council delays vote on harbour dredging", "What the new budget means for renters",
           "Five things to know about the flood plan", "Teachers vote to strike over pay",
           "Airport trial of e-gates extended", "Bus routes to change from Monday", "Opinion: the city needs a plan",
           "Water bills set to rise again", "New cycle lanes open in the north", "Hospital wins funding for new ward"]


@dataclass(frozen=True)
class Article:
    slug: str
    template: str
    headline: str
    standfirst: str
    authors: tuple[str, ...]
    published: datetime
    section: str
    tags: tuple[str, ...]
    place: str
    agency: str | None
    paragraphs: tuple[str, ...]  # plain text with typographic quotes; escaped when rendered


@dataclass(frozen=True)
class Site:
    directory: Path
    paths: tuple[str, ...]  # article paths relative to the site root, in order
    feed: str = "feed.xml"


# ---------------------------------------------------------------- text

def pick(rng: random.Random, pool: list[str]) -> str:
    return rng.choice(pool)


def person(rng: random.Random) -> str:
    return f"{pick(rng, FIRST)} {pick(rng, LAST)}"


def sentence(rng: random.Random) -> str:
    """One sentence from one of several patterns, so paragraphs do not look machine-made."""
    form = rng.randrange(7)
    if form == 0:
        s = f"{pick(rng, SUBJECTS)} {pick(rng, VERBS)} {pick(rng, OBJECTS)} {pick(rng, TIMES)}"
    elif form == 1:
        s = f"{pick(rng, SUBJECTS)} {pick(rng, VERBS)} {pick(rng, OBJECTS)}, {pick(rng, CLAUSES)}"
    elif form == 2:
        s = f"In {pick(rng, PLACES)}, {pick(rng, ORGS)} said it {pick(rng, VERBS)} {pick(rng, OBJECTS)}"
    elif form == 3:
        s = f"The figure of {pick(rng, NUMBERS)} {pick(rng, VERBS)} {pick(rng, OBJECTS)}, {pick(rng, CLAUSES)}"
    elif form == 4:
        s = (f"{pick(rng, CLAUSES).capitalize()}, {pick(rng, SUBJECTS).lower()} {pick(rng, VERBS)} "
             f"{pick(rng, OBJECTS)} in {pick(rng, PLACES)}")
    elif form == 5:
        s = f"It is the first time since {rng.randint(1990, 2020)} that {pick(rng, ORGS)} {pick(rng, VERBS)} {pick(rng, OBJECTS)}"
    else:
        s = (f"{pick(rng, SUBJECTS)} said the change {pick(rng, VERBS)} {pick(rng, OBJECTS)}, and that "
             f"{pick(rng, OBJECTS)} {pick(rng, VERBS).split()[0]} not be affected {pick(rng, TIMES)}")
    return s + rng.choice([".", ".", ".", ".", ";"]) if form != 4 else s + "."


def quote_paragraph(rng: random.Random, speaker: str, role: str, first_mention: bool) -> str:
    body = pick(rng, QUOTE_BODIES)
    last = speaker.split()[-1]
    form = rng.randrange(5)
    if form == 0:
        return f"\u201c{body},\u201d said {speaker}, {role}." if first_mention else f"\u201c{body},\u201d {last} said."
    if form == 1:
        return f"{speaker}, {role}, said: \u201c{body}. {pick(rng, QUOTE_BODIES)}.\u201d"
    if form == 2:
        return f"\u201c{body},\u201d {speaker} told reporters on {rng.choice(['Monday', 'Tuesday', 'Friday'])}. {sentence(rng)}"
    if form == 3:
        return f"{last} called the decision \u201c{pick(rng, PARTIALS)}\u201d. {sentence(rng)} {sentence(rng)}"
    return f"\u201c{body}. {pick(rng, QUOTE_BODIES)},\u201d {speaker} said in a statement."


def build_article(rng: random.Random, index: int, template: str) -> Article:
    place, obj = pick(rng, PLACES), pick(rng, OBJECTS)
    headline = f"{place}: {pick(rng, SUBJECTS)} {pick(rng, VERBS)} {obj} {pick(rng, TIMES)}"
    standfirst = f"{sentence(rng).rstrip('.;')} after {pick(rng, CLAUSES).split(' ', 1)[1]}."
    authors = tuple(person(rng) for _ in range(rng.choice((1, 1, 1, 2, 2, 3))))
    target_words = rng.randint(400, 900)
    speakers = [(person(rng), pick(rng, ROLES)) for _ in range(rng.randint(2, 4))]
    n_quotes = rng.randint(2, 5)
    paragraphs: list[str] = []
    words, quotes, mentioned = 0, 0, set()
    while words < target_words:
        if quotes < n_quotes and paragraphs and rng.random() < 0.35:
            speaker, role = speakers[quotes % len(speakers)]
            paragraph = quote_paragraph(rng, speaker, role, speaker not in mentioned)
            mentioned.add(speaker)
            quotes += 1
        else:
            paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    published = datetime(2021, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=rng.randint(0, 525_600 * 4))
    slug = f"{published:%Y/%m/%d}/{index:06d}-{place.lower().replace(' ', '-')}-{obj.split()[-1]}"
    agency = pick(rng, AGENCIES) if template == "wire" else None
    tags = tuple(rng.sample(TAGS, rng.randint(2, 5)))
    return Article(slug, template, headline, standfirst, authors, published, pick(rng, SECTIONS), tags, place,
                   agency, tuple(paragraphs))


# ---------------------------------------------------------------- templates

def esc(text: str) -> str:
    return html.escape(text, quote=True)


def nav(rng: random.Random, css: str) -> str:
    items = "".join(f'<li><a href="/{s.lower().replace(" ", "-")}/">{esc(s)}</a></li>' for s in SECTIONS)
    return f'<nav class="{css}" aria-label="Main"><ul>{items}</ul></nav>'


def related(rng: random.Random, title: str, css: str) -> str:
    links = "".join(f'<li><a href="/related/{i}/">{esc(t)}</a></li>' for i, t in enumerate(rng.sample(RELATED, 4)))
    return f'<section class="{css}"><h2>{esc(title)}</h2><ul>{links}</ul></section>'


def footer(site: str) -> str:
    cols = "".join(f'<li><a href="/{x.lower().replace(" ", "-")}/">{x}</a></li>' for x in
                   ("About us", "Contact", "Advertise", "Careers", "Privacy policy", "Terms of use", "Cookie settings"))
    return (f'<footer class="site-footer"><div class="container"><ul class="footer-links">{cols}</ul>'
            f'<p class="copyright">&copy; 2024 {esc(site)}. All rights reserved. Reproduction without permission is '
            f'prohibited.</p></div></footer>')


def head(a: Article, site: str, host: str, with_og: bool, jsonld: dict | None) -> str:
    url = f"https://{host}/{a.slug}/"
    parts = ['<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{esc(a.headline)} | {esc(site)}</title>",
             f'<meta name="description" content="{esc(a.standfirst)}">', f'<link rel="canonical" href="{url}">']
    if with_og:
        parts += [f'<meta property="og:title" content="{esc(a.headline)}">', '<meta property="og:type" content="article">',
                  f'<meta property="og:url" content="{url}">', f'<meta property="og:site_name" content="{esc(site)}">',
                  f'<meta property="og:description" content="{esc(a.standfirst)}">',
                  f'<meta property="article:published_time" content="{a.published.isoformat()}">',
                  f'<meta property="article:section" content="{esc(a.section)}">']
        parts += [f'<meta property="article:tag" content="{esc(t)}">' for t in a.tags]
    if jsonld:
        parts.append(f'<script type="application/ld+json">{json.dumps(jsonld)}</script>')
    parts += [f'<link rel="stylesheet" href="https://{host}/static/css/main.{i}.css">' for i in range(3)]
    parts.append(f'<script async src="https://{host}/static/js/analytics.js"></script>')
    return "<head>" + "\n".join(parts) + "</head>"


def body_paragraphs(a: Article, rng: random.Random, inserts: list[str]) -> str:
    out = []
    for i, paragraph in enumerate(a.paragraphs):
        out.append(f"<p>{esc(paragraph)}</p>")
        if inserts and i in (2, 6):
            out.append(inserts[(i // 4) % len(inserts)])
    return "\n".join(out)


def render_wordpress(a: Article, rng: random.Random) -> str:
    site, host = "The Harbor Gazette", "www.harborgazette.example"
    url = f"https://{host}/{a.slug}/"
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "@id": url + "#article", "headline": a.headline,
         "author": {"@type": "Person", "name": a.authors[0]}, "datePublished": a.published.isoformat(),
         "dateModified": (a.published + timedelta(hours=3)).isoformat(), "keywords": list(a.tags),
         "articleSection": [a.section], "inLanguage": "en-US",
         "publisher": {"@type": "Organization", "name": site}},
        {"@type": "WebPage", "@id": url, "url": url, "name": f"{a.headline} - {site}"},
        {"@type": "BreadcrumbList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": f"https://{host}/"},
            {"@type": "ListItem", "position": 2, "name": a.section}]}]}
    share = ('<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a> '
             '<a href="#">Email</a> <a href="#">Print</a></div>')
    widgets = "".join(f'<section class="widget"><h3 class="widget-title">{t}</h3><ul>'
                      + "".join(f'<li><a href="/w/{i}/">{esc(r)}</a></li>' for i, r in enumerate(rng.sample(RELATED, 5)))
                      + "</ul></section>" for t in ("Most read", "Latest news"))
    return f"""<!DOCTYPE html>
<html lang="en-US">{head(a, site, host, True, graph)}
<body class="post-template-default single single-post">
<div id="page" class="site"><a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<div class="top-bar"><ul class="top-links"><li><a href="/subscribe/">Subscribe</a></li><li><a href="/e-edition/">E-Edition</a></li><li><a href="/newsletters/">Newsletters</a></li></ul></div>
<header id="masthead" class="site-header"><p class="site-title"><a href="/">{site}</a></p>{nav(rng, "main-navigation")}</header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<nav class="breadcrumbs"><a href="/">Home</a> &raquo; <a href="/{a.section.lower()}/">{esc(a.section)}</a></nav>
<article class="post type-post status-publish format-standard">
<header class="entry-header"><span class="cat-links"><a href="#">{esc(a.section)}</a></span>
<h1 class="entry-title">{esc(a.headline)}</h1>
<div class="entry-meta"><span class="byline">By <span class="author vcard"><a class="url fn n" href="/author/x/">{esc(a.authors[0])}</a></span></span>
<span class="posted-on"><time class="entry-date published" datetime="{a.published.isoformat()}">{a.published:%B %d, %Y}</time></span></div></header>
{share}
<div class="entry-content">
{body_paragraphs(a, rng, ['<div class="ad-inline"><p>Advertisement</p></div>'])}
</div>
<footer class="entry-footer"><span class="tags-links">Tags: {", ".join(f'<a href="/tag/{esc(t)}/" rel="tag">{esc(t)}</a>' for t in a.tags)}</span></footer>
</article>
{related(rng, "Related posts", "related-posts")}
<div id="comments" class="comments-area"><div id="respond"><h3>Leave a Reply</h3><form><p>Your email address will not be published. Required fields are marked *</p><textarea name="comment"></textarea><p><input type="submit" value="Post Comment"></p></form></div></div>
</main></div><aside id="secondary" class="widget-area">{widgets}</aside></div>
{footer(site)}</div></body></html>"""


def render_wire(a: Article, rng: random.Random) -> str:
    site, host = "Valley Tribune", "www.valleytribune.example"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.headline,
          "description": a.standfirst, "datePublished": a.published.isoformat(),
          "author": [{"@type": "Person", "name": n} for n in a.authors],
          "publisher": {"@type": "Organization", "name": site}, "articleSection": a.section,
          "keywords": ", ".join(a.tags)}
    byline = " and ".join(a.authors)
    first, *rest = a.paragraphs
    lead = f"{a.place.upper()} ({a.agency}) \u2014 {first}"
    body = "\n".join([f"<p>{esc(lead)}</p>"] + [f"<p>{esc(p)}</p>" for p in rest[:3]]
                     + ['<div class="ad-slot" id="ad-inline"><span>ADVERTISEMENT</span></div>']
                     + [f"<p>{esc(p)}</p>" for p in rest[3:]]
                     + [f'<p class="tagline"><em>{esc(a.agency)} writers contributed to this report.</em></p>'])
    trending = "".join(f'<li class="trending-item"><a href="/t/{i}">{esc(t)}</a><span class="count">{rng.randint(2, 99)}k views</span></li>'
                       for i, t in enumerate(rng.sample(RELATED, 5)))
    return f"""<!DOCTYPE html>
<html lang="en">{head(a, site, host, True, ld)}
<body class="news article">
<header class="header"><div class="logo"><a href="/">{site}</a></div>{nav(rng, "header-nav")}
<div class="weather-widget">Weather: 54&deg;F Cloudy</div></header>
<div class="layout"><div class="main-column">
<div class="asset-heading"><h1 class="headline"><span>{esc(a.headline)}</span></h1>
<div class="asset-byline"><ul class="list-inline"><li><span class="byline">By {esc(byline)} {esc(a.agency)}</span></li>
<li><time datetime="{a.published.isoformat()}">{a.published:%b %d, %Y}</time></li></ul></div></div>
<div class="share-tools"><a href="#">Facebook</a><a href="#">Twitter</a><a href="#">WhatsApp</a><a href="#">SMS</a><a href="#">Email</a></div>
<div class="asset-content" itemprop="articleBody">
{body}
</div>
<div class="asset-tags">{"".join(f'<a class="tag" href="/tags/{esc(t)}">{esc(t)}</a>' for t in a.tags)}</div>
<div class="subscribe-promo"><h3>Get our morning newsletter</h3><p>The top stories, delivered to your inbox every weekday.</p><form><input type="email" placeholder="Email address"><button>Sign up</button></form></div>
</div>
<aside class="rail"><section class="trending"><h2>Trending</h2><ol>{trending}</ol></section>
<div class="ad-slot ad-rail"><span>ADVERTISEMENT</span></div></aside></div>
{footer(site)}</body></html>"""


def render_broadsheet(a: Article, rng: random.Random) -> str:
    site, host = "The Meridian", "www.meridian.example"
    byline = " and ".join(f'<a rel="author" href="/profile/{n.lower().replace(" ", "-")}">{esc(n)}</a>' for n in a.authors)
    aside = (f'<aside class="element element-rich-link"><p><span class="rich-link__kicker">Explainer</span> '
             f'<a href="/explainer/">{esc(pick(rng, RELATED))}</a></p></aside>')
    return f"""<!DOCTYPE html>
<html lang="en-GB">{head(a, site, host, True, None)}
<body>
<div class="cookie-banner" role="dialog"><p>We use cookies to improve your experience. By continuing you agree to our use of cookies.</p><button>Accept all</button><button>Manage</button></div>
<header class="masthead"><a class="logo" href="/">{site}</a>{nav(rng, "pillars")}</header>
<main id="maincontent"><article class="article article--standard">
<div class="article__section"><a href="/{a.section.lower()}">{esc(a.section)}</a></div>
<div class="article__headline"><h1>{esc(a.headline)}</h1></div>
<div class="article__standfirst"><p>{esc(a.standfirst)}</p></div>
<figure class="article__main-media"><img src="https://i.{host}/img/{rng.randrange(10**6)}.jpg" alt="{esc(a.place)}" width="620" height="372">
<figcaption>A view of {esc(a.place)}. Photograph: Meridian picture desk</figcaption></figure>
<div class="article__meta"><address aria-label="Contributor info"><div class="byline">{byline}</div></address>
<div class="article__dateline"><time datetime="{a.published.isoformat()}">{a.published:%a %d %b %Y %H.%M} GMT</time></div>
<div class="share-bar"><ul><li><a href="#"><span class="u-h">Share on Facebook</span></a></li><li><a href="#"><span class="u-h">Share on Twitter</span></a></li></ul></div></div>
<div class="article-body-commercial-selector" data-gu-name="body">
{body_paragraphs(a, rng, [aside, '<div class="ad-slot ad-slot--inline" aria-hidden="true"><p class="ad-slot__label">Advertisement</p></div>'])}
</div>
<div class="contributions-epic"><h2>&#8230; we have a small favour to ask.</h2><p>Millions are turning to the Meridian for open, independent, quality news every day. If you can, please support us today.</p><a href="/contribute">Support the Meridian &#8594;</a></div>
<div class="submeta"><h2 class="u-h">Topics</h2><ul class="submeta__keywords">{"".join(f'<li><a href="/t/{esc(t)}">{esc(t)}</a></li>' for t in a.tags)}</ul></div>
</article>
{related(rng, "More on this story", "onward")}
<section id="comments" class="discussion"><h2>Comments ({rng.randint(0, 900)})</h2><p>Sign in or create your Meridian account to join the discussion.</p></section>
</main>
{footer(site)}</body></html>"""


def render_blog(a: Article, rng: random.Random) -> str:
    site, host = "Northern Courier", "northerncourier.example"
    comments = "".join(f'<li class="comment"><p class="comment-author">{esc(person(rng))}</p><p>{esc(sentence(rng))}</p></li>'
                       for _ in range(rng.randint(1, 4)))
    return f"""<!DOCTYPE html>
<html lang="en">{head(a, site, host, False, None)}
<body><div class="wrapper">
<div class="header"><h2 class="brand"><a href="/">{site}</a></h2>{nav(rng, "menu")}</div>
<div class="content"><div class="post">
<h1>{esc(a.headline)}</h1>
<p class="byline">By {esc(", ".join(a.authors))} | <time datetime="{a.published:%Y-%m-%d}">{a.published:%d %B %Y}</time> | {esc(a.section)}</p>
<p class="lede"><strong>{esc(a.standfirst)}</strong></p>
{"".join(f"<p>{esc(p)}</p>" for p in a.paragraphs)}
<p class="post-tags">Filed under: {", ".join(esc(t) for t in a.tags)}</p>
</div>
{related(rng, "You may also like", "more-posts")}
<div class="comments"><h3>{rng.randint(1, 40)} comments</h3><ol>{comments}</ol></div>
</div>
<div class="footer"><p>{site} &middot; <a href="/about">About</a> &middot; <a href="/contact">Contact</a> &middot; <a href="/privacy">Privacy</a></p></div>
</div></body></html>"""


RENDERERS = {"wordpress": render_wordpress, "wire": render_wire, "broadsheet": render_broadsheet, "blog": render_blog}


# ---------------------------------------------------------------- the site

def article_pages(n: int, seed: int = 7):
    """(path, html) of n articles, templates in turn; page i depends only on (seed, i)."""
    for i in range(n):
        rng = random.Random(f"{seed}-{i}")
        template = TEMPLATES[i % len(TEMPLATES)]
        article = build_article(rng, i, template)
        yield f"{article.slug}.html", article, RENDERERS[template](article, rng)


def write_site(directory: Path, pages) -> Site:
    """pages: an iterable of (path, html as str or bytes, title, published), written one at a time
    (so that 10k pages never sit in memory together), then feed.xml, urls.txt and robots.txt."""
    directory.mkdir(parents=True, exist_ok=True)
    paths, items = [], []
    for path, page, title, published in pages:
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page if isinstance(page, bytes) else page.encode("utf-8"))
        paths.append(path)
        items.append(f"<item><title>{esc(title)}</title><link>{{{{BASE_URL}}}}/{path}</link>"
                     f"<pubDate>{published:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>")
    (directory / "feed.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Synthetic wire</title>'
        "<link>{{BASE_URL}}/</link><description>Benchmark site</description>" + "".join(items) + "</channel></rss>",
        encoding="utf-8")
    (directory / "urls.txt").write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
    (directory / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    return Site(directory, tuple(paths))


def read_site(directory: Path) -> Site:
    """A site written earlier (by write_site or the command line)."""
    return Site(directory, tuple((directory / "urls.txt").read_text(encoding="utf-8").split()))


def generate_site(directory: Path, n: int, seed: int = 7) -> Site:
    """Writes n synthetic article pages (four templates) and the feed; deterministic for a seed."""
    return write_site(directory, ((path, page, a.headline, a.published) for path, a, page in article_pages(n, seed)))


def zyte_site(directory: Path, n: int | None = None) -> Site:
    """The Zyte benchmark's real news pages (read from ../shared/bench at run time) as a site;
    with n larger than the set, the pages are served again under new paths, in turn."""
    files = sorted(ZYTE_HTML.glob("*.html.gz"))
    n = len(files) if n is None else n
    epoch = datetime(2024, 1, 1, tzinfo=timezone.utc)
    pages = ((f"zyte/{i:05d}-{files[i % len(files)].name[:-3]}", gzip.decompress(files[i % len(files)].read_bytes()),
              files[i % len(files)].name, epoch) for i in range(n))
    return write_site(directory, pages)


SERVER = """
import sys, time
sys.path.insert(0, sys.argv[2])
from pathlib import Path
from flows.site_server import serve_site
with serve_site(Path(sys.argv[1])) as base_url:
    print(base_url, flush=True)
    while True:
        time.sleep(3600)
"""


@contextmanager
def serve_in_subprocess(directory: Path) -> Iterator[str]:
    """flows.site_server in its own process, so that serving does not share the benchmarked
    process's GIL or count towards its memory (a real site is on another machine)."""
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(directory), str(REPO)],
                            stdout=subprocess.PIPE, text=True)
    try:
        yield proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--source", choices=("synthetic", "zyte"), default="synthetic")
    args = parser.parse_args()
    site = zyte_site(args.out, args.pages) if args.source == "zyte" else generate_site(args.out, args.pages, args.seed)
    size = sum((site.directory / p).stat().st_size for p in site.paths)
    print(f"{len(site.paths)} pages, {size / len(site.paths) / 1024:.1f} KiB each on average, in {site.directory}")


if __name__ == "__main__":
    main()
