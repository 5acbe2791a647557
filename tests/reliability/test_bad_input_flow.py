"""Bad input through the ingest flow: every horror ends as a recorded outcome, the run goes on.

Malformed and empty feeds, a binary body sent as text/html, invalid encodings, an empty page,
a 1 MB single-line page and 5,000 nested divs, all from a real server on 127.0.0.1, in one run
next to a normal article. The run must finish, give every URL one outcome, and write a parses
row (with its status) for every page it fetched.
"""
from __future__ import annotations

from dataclasses import replace

from flows.ingest import ingest
from tasks.settings import Settings
from tests.reliability.checks import integrity_problems, path_of, rows
from tests.reliability.faultsite import fixed, serve_fault_site
from tests.reliability.newsroom import site_pages

QUICK = Settings(retry_delays_s=(0.05, 0.05, 0.05), per_host_delay_s=0.0, per_host_concurrency=4,
                 allow_private_hosts=True)
HTML = {"Content-Type": "text/html; charset=utf-8"}
SENTENCE = "The council voted again on the plan, and the vote was close. "


PAGES = {
    "/binary-as-html": fixed(200, HTML, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20),
    "/latin1-declared-utf8": fixed(200, HTML, "<html><body><article><p>Caf\u00e9 cr\u00e8me and d\u00e9j\u00e0 vu "
                                  "at the council, the mayor said on Tuesday evening.</p></article></body></html>"
                                  .encode("latin-1")),
    "/bogus-charset": fixed(200, {"Content-Type": "text/html; charset=x-no-such"},
                           b"<html><head><meta charset='x-no-such'></head><body><p>\xff\xfe broken \xc3\x28</p></body></html>"),
    "/empty": fixed(200, HTML, b""),
    "/one-line": fixed(200, HTML, ("<html><body><article><p>" + SENTENCE * (1_000_000 // len(SENTENCE))
                                  + "</p></article></body></html>").encode()),
    "/nested": fixed(200, HTML, ("<html><body>" + "<div>" * 5000 + "<p>Deep inside, the mayor said it was fine.</p>"
                                + "</div>" * 5000 + "</body></html>").encode()),
    "/nul-bytes": fixed(200, HTML, b"<html><body><p>text</p>" + b"\x00" * 100 + b"</body></html>"),
}
FEEDS = {
    "/malformed.xml": fixed(200, {"Content-Type": "application/rss+xml"}, b"\x00\x01 this is <not xml"),
    "/empty.xml": fixed(200, {"Content-Type": "application/rss+xml"}, b"<rss version='2.0'><channel></channel></rss>"),
    "/truncated.xml": fixed(200, {"Content-Type": "application/rss+xml"}, b"<?xml version='1.0'?><rss><chan"),
}
PAGE_OUTCOMES = {"loaded", "no_text", "not_html", "parse_failed"}


def test_bad_input_ends_as_recorded_outcomes(prefect_harness, tmp_path):
    db = tmp_path / "bad.duckdb"
    normal = site_pages(31, 1)
    with serve_fault_site(normal, extra_routes={**PAGES, **FEEDS}) as server:
        urls = [server.url(p) for p in PAGES] + [server.url(normal[0].path)]
        feeds = [server.url(p) for p in FEEDS]
        summary = ingest(urls=urls, feeds=feeds, db_path=str(db), settings=replace(QUICK, db_path=db))
    by_path = {path_of(url): outcome for url, outcome in summary.outcomes.items()}
    assert set(by_path) == {path_of(u) for u in urls + feeds}          # every URL has its outcome
    assert by_path[normal[0].path] == "loaded" and by_path["/one-line"] == "loaded"
    assert by_path["/binary-as-html"] == "not_html" and by_path["/nested"] in PAGE_OUTCOMES
    assert {by_path[p] for p in PAGES} <= PAGE_OUTCOMES
    # (An empty but well-formed feed is reported malformed today: see test_bad_input_parsers.py.)
    assert {p: by_path[p] for p in FEEDS} == {"/malformed.xml": "feed_malformed", "/truncated.xml": "feed_malformed",
                                              "/empty.xml": by_path["/empty.xml"]}
    assert by_path["/empty.xml"] in {"feed_empty", "feed_malformed"}
    parses = {path_of(url): status for url, status in rows(db, "SELECT url, status FROM parses")}
    assert set(parses) == set(PAGES) | {normal[0].path}                 # every fetched page was recorded
    assert {status for status in parses.values()} <= {"ok", "no_text", "binary", "parse_failed"}
    assert rows(db, "SELECT count(*) FROM fetches") == [(len(urls) + len(feeds),)]
    assert integrity_problems(db) == {}


# URLs urllib refuses with a ValueError instead of parts (tasks/urls.py): an unclosed IPv6
# bracket, and a host NFKC turns into another ('\uff1a' becomes ':').
UNPARSEABLE = ("http://[oops/story", "https://news\uff1aevil.example/story")
STORY = ("<html><head><title>The council vote</title>"
         f"<link rel='canonical' href='{UNPARSEABLE[1]}'><meta property='og:image' content='{UNPARSEABLE[0]}'>"
         f"</head><body><h1><a href='{UNPARSEABLE[0]}'>The council vote</a></h1><article>"
         f"<p>{SENTENCE * 8}</p></article></body></html>")


def test_urls_urllib_refuses_cost_only_themselves(prefect_harness, tmp_path):
    db = tmp_path / "urls.duckdb"
    routes = {"/odd-meta": fixed(200, HTML, STORY.encode()),
              "/bad-redirect": fixed(302, {"Location": UNPARSEABLE[0]}, b"")}
    with serve_fault_site(site_pages(32, 1), extra_routes=routes) as server:
        items = "".join(f"<item><title>t</title><link>{link}</link></item>"
                        for link in (UNPARSEABLE[1], server.url("/odd-meta"), server.url("/bad-redirect")))
        feed = f"<rss version='2.0'><channel><title>f</title>{items}</channel></rss>".encode()
        server.extra_routes["/feed.xml"] = fixed(200, {"Content-Type": "application/rss+xml"}, feed)
        # feedparser drops an entry link with an unclosed bracket, so that one comes as an argument
        summary = ingest(urls=[UNPARSEABLE[0]], feeds=[server.url("/feed.xml")], db_path=str(db),
                         settings=replace(QUICK, db_path=db))
    outcomes = {url if url in UNPARSEABLE else path_of(url): outcome for url, outcome in summary.outcomes.items()}
    assert outcomes == {UNPARSEABLE[0]: "bad_url", UNPARSEABLE[1]: "bad_url", "/odd-meta": "loaded",
                        "/bad-redirect": "bad_url"}
    assert rows(db, "SELECT count(*) FROM fetches WHERE outcome = 'bad_url' AND error LIKE '%parsed%'") == [(1,)]
    # The page's unusable canonical and image are skipped; it is known by the URL it came from.
    assert rows(db, "SELECT canonical_url, image FROM articles") == [(server.url("/odd-meta"), None)]
    assert integrity_problems(db) == {}
