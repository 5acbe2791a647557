"""Discovery: URL canonicalization, URL files, feeds with hints, malformed feeds."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.discover import Candidate, canonicalize_url, dedupe_candidates, parse_feed, read_url_file

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Example</title><link>http://127.0.0.1:8000/</link>
<item><title>First story</title><link>http://127.0.0.1:8000/a.html?utm_source=rss</link>
<pubDate>Tue, 07 Dec 2021 21:11:00 +0000</pubDate><dc:creator>Jane Doe</dc:creator></item>
<item><title>Second story</title><link>http://127.0.0.1:8000/b.html</link></item>
</channel></rss>"""


def test_canonicalize_drops_tracking_and_fragment_but_keeps_identifying_parameters():
    assert canonicalize_url("HTTP://News.Example.COM/a?utm_source=x&id=5#top") == "http://news.example.com/a?id=5"


def test_feed_entries_keep_their_hints():
    result = parse_feed(RSS, "http://127.0.0.1:8000/feed.xml")
    assert result.status == "ok"
    first = result.candidates[0]
    assert (first.title, first.published, first.author) == ("First story", "Tue, 07 Dec 2021 21:11:00 +0000", "Jane Doe")
    assert first.hints() == {"title": "First story", "published": "Tue, 07 Dec 2021 21:11:00 +0000", "author": "Jane Doe"}


def test_malformed_feed_gets_a_status():
    result = parse_feed(b"\x89PNG not a feed at all", "http://127.0.0.1/feed")
    assert result.status in ("malformed", "empty") and result.candidates == ()


def test_feed_that_breaks_feedparser_gets_a_status():
    # feedparser's loose parser raises KeyError on this instead of flagging it (found by fuzzing).
    result = parse_feed(b"<channel><item><link></item></link>", "https://example.org/feed")
    assert result.status == "malformed" and "feedparser" in result.error
    assert result.candidates == ()


def test_duplicates_collapse_to_the_first_mention():
    found = dedupe_candidates([
        Candidate("http://127.0.0.1:8000/a.html?utm_source=rss", "feed", title="From feed"),
        Candidate("http://127.0.0.1:8000/a.html", "argument"),
        Candidate("http://127.0.0.1:8000/b.html", "argument"),
    ])
    assert [(c.url, c.title) for c in found] == [("http://127.0.0.1:8000/a.html", "From feed"),
                                                 ("http://127.0.0.1:8000/b.html", None)]


def test_url_file_skips_blanks_and_comments(tmp_path):
    path = tmp_path / "urls.txt"
    path.write_text("# list\nhttp://a.example/1\n\n  http://a.example/2  \n")
    assert read_url_file(path) == ["http://a.example/1", "http://a.example/2"]


def test_candidates_are_interleaved_by_host_keeping_each_hosts_order():
    from tasks.discover import interleave_by_host
    urls = ["http://a.example/1", "http://a.example/2", "http://a.example/3", "http://b.example/1",
            "http://c.example/1", "http://c.example/2"]
    got = [c.url for c in interleave_by_host(Candidate(u, "feed") for u in urls)]
    assert got == ["http://a.example/1", "http://b.example/1", "http://c.example/1",
                   "http://a.example/2", "http://c.example/2", "http://a.example/3"]
    assert interleave_by_host([]) == []


_SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.~", min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(scheme=st.sampled_from(["http", "https", "HTTP"]),
       host=st.sampled_from(["News.Example.com", "www.example.org", "a.b.example.co.uk"]),
       path=st.lists(_SEGMENT, max_size=4),
       params=st.lists(st.tuples(st.sampled_from(["id", "page", "q", "utm_source", "utm_medium", "fbclid", "gclid"]),
                                 _SEGMENT), max_size=4, unique_by=lambda kv: kv[0]),
       fragment=st.one_of(st.none(), _SEGMENT))
def test_canonical_urls_are_stable_and_keep_identifying_parameters(scheme, host, path, params, fragment):
    query = "&".join(f"{k}={v}" for k, v in params)
    url = f"{scheme}://{host}/" + "/".join(path) + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once
    assert "utm_" not in once and "fbclid" not in once and "gclid" not in once and "#" not in once
    assert all(f"{k}={v}" in once for k, v in params if k in ("id", "page", "q"))


def test_canonical_urls_drop_credentials():
    assert canonicalize_url("https://editor:pw@News.Example.com/a?id=1") == "https://news.example.com/a?id=1"
    assert canonicalize_url("http://a.example") == "http://a.example/"


def test_rel_canonical_is_applied_when_usable():
    from tasks.discover import resolve_canonical
    page = "https://www.example.com/news/2026/03/story.html?utm_source=feed"
    assert resolve_canonical(page, "/news/2026/03/story.html") == "https://www.example.com/news/2026/03/story.html"
    assert resolve_canonical(page, "https://example.com/story?id=7&utm_medium=x") == "https://example.com/story?id=7"
    # Syndicated copies name the original publisher: kept.
    assert resolve_canonical(page, "https://wire.example/a/1") == "https://wire.example/a/1"
    # Unusable: none, another scheme, the front page named by an article.
    for declared in (None, " ", "javascript:void(0)", "https://www.example.com/", "/"):
        assert resolve_canonical(page, declared) == "https://www.example.com/news/2026/03/story.html"
    assert resolve_canonical("https://www.example.com/", "https://www.example.com/") == "https://www.example.com/"
